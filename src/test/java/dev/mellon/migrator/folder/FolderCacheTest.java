package dev.mellon.migrator.folder;

import dev.mellon.migrator.testing.FolderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FolderCacheTest {

    private static final FileTime AN_HOUR_AGO = FileTime.from(Instant.now().minus(Duration.ofHours(1)));

    @TempDir
    Path dir;

    private Path folder() {
        return new FolderBuilder(dir.resolve("drizzle"))
                .migration("users", "CREATE TABLE users (id int);")
                .migration("posts", "CREATE TABLE posts (id int);")
                .write();
    }

    /** Every file and directory of the folder made an hour old: past the racy window, as a deployed folder is. */
    private static void age(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.toList()) {
                Files.setLastModifiedTime(p, AN_HOUR_AGO);
            }
        }
    }

    @Test
    void anUnchangedFolderIsReadOnceAndServedFromTheCache() throws IOException {
        Path folder = folder();
        age(folder);
        FolderCache cache = FolderCache.verifying(new FolderReader(), folder);

        MigrationFolder first = cache.verified();
        assertSame(first, cache.verified());
        assertSame(first, cache.current());
    }

    @Test
    void filesWrittenWithinTheRacyWindowAreReadAgainOnEveryCall() {
        FolderCache cache = FolderCache.verifying(new FolderReader(), folder());

        MigrationFolder first = cache.verified();
        MigrationFolder second = cache.verified();
        assertNotSame(first, second, "a file as young as the read may change again within the same clock tick");
        assertEquals(first, second);
    }

    @Test
    void theRacyWindowEndsOnceTheFilesAreOlderThanIt() {
        Path folder = folder();
        Clock later = Clock.fixed(Instant.now().plus(FolderCache.RACY_WINDOW).plusSeconds(1), ZoneOffset.UTC);
        FolderCache cache = FolderCache.verifying(new FolderReader(), folder, later);

        MigrationFolder first = cache.verified();
        assertSame(first, cache.verified());
    }

    @Test
    void anInPlaceEditOfTheSameSizeIsSeenThroughTheModificationTime() throws Exception {
        Path folder = folder();
        age(folder);
        FolderCache cache = FolderCache.verifying(new FolderReader(), folder);
        String before = cache.verified().migrations().get(1).hash();

        Files.writeString(folder.resolve("0001_posts.sql"), "CREATE TABLE pasts (id int);", StandardCharsets.UTF_8);

        MigrationFolder after = cache.verified();
        assertTrue(after.migrations().get(1).statements().get(0).contains("pasts"));
        assertTrue(!before.equals(after.migrations().get(1).hash()));
    }

    @Test
    void aFileReplacedByRenameIsSeenThroughItsInode() throws IOException {
        Path folder = folder();
        age(folder);
        FolderCache cache = FolderCache.verifying(new FolderReader(), folder);
        cache.verified();

        Path replacement = dir.resolve("elsewhere.sql");
        Files.writeString(replacement, "CREATE TABLE pasts (id int);", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(replacement, AN_HOUR_AGO);
        Files.move(replacement, folder.resolve("0001_posts.sql"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(folder, AN_HOUR_AGO);

        assertTrue(cache.verified().migrations().get(1).statements().get(0).contains("pasts"));
    }

    @Test
    void aNewOrphanFileChangesTheWarnings() throws IOException {
        Path folder = folder();
        age(folder);
        FolderCache cache = FolderCache.verifying(new FolderReader(), folder);
        assertEquals(0, orphans(cache.verified()));

        Files.writeString(folder.resolve("stray.sql"), "SELECT 1;");

        assertEquals(1, orphans(cache.verified()));
    }

    private static long orphans(MigrationFolder folder) {
        return folder.warnings().stream().filter(w -> w.code().equals("orphan-sql-file")).count();
    }

    @Test
    void aFolderThatCannotBeReadIsNotCached() throws IOException {
        Path folder = dir.resolve("drizzle");
        FolderCache cache = FolderCache.verifying(new FolderReader(), folder);
        assertThrows(FolderException.class, cache::verified);

        folder();
        assertEquals(2, cache.verified().migrations().size());
    }

    @Test
    void theWatcherServesReadsWithoutStatAndSeesAnInPlaceEdit() throws Exception {
        Path folder = folder();
        age(folder);
        try (FolderCache cache = FolderCache.watching(new FolderReader(), folder)) {
            assertTrue(cache.watched());
            MigrationFolder first = cache.current();
            assertSame(first, cache.current());

            // Same size, modification time put back (as tar or rsync -t would): only the watcher can tell.
            Path file = folder.resolve("0001_posts.sql");
            Files.writeString(file, "CREATE TABLE pasts (id int);", StandardCharsets.UTF_8);
            Files.setLastModifiedTime(file, AN_HOUR_AGO);

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (cache.current() == first && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(cache.current().migrations().get(1).statements().get(0).contains("pasts"));
        }
    }

    @Test
    void aFolderPathRepointedToAnotherDirectoryIsNoLongerTrustedToTheOldWatcher() throws Exception {
        Path first = folder();
        Path second = dir.resolve("release-2");
        try (Stream<Path> files = Files.walk(first)) {
            for (Path p : files.toList()) {
                Files.copy(p, second.resolve(first.relativize(p).toString()));
            }
        }
        age(first);
        age(second);
        Path link = Files.createSymbolicLink(dir.resolve("current"), first);
        try (FolderCache cache = FolderCache.watching(new FolderReader(), link)) {
            cache.current();
            Files.delete(link);
            Files.createSymbolicLink(link, second);
            assertEquals(2, cache.current().migrations().size());

            // The watcher still watches the first directory and hears nothing of this edit.
            Files.writeString(second.resolve("0001_posts.sql"), "CREATE TABLE pasts (id int);", StandardCharsets.UTF_8);

            assertTrue(cache.current().migrations().get(1).statements().get(0).contains("pasts"));
        }
    }

    @Test
    void aJournalChangeIsSeenByTheNextReadWithoutWaitingForTheWatcher() throws IOException {
        Path folder = folder();
        age(folder);
        try (FolderCache cache = FolderCache.watching(new FolderReader(), folder)) {
            assertEquals(2, cache.current().migrations().size());

            new FolderBuilder(folder)
                    .migration("users", "CREATE TABLE users (id int);")
                    .migration("posts", "CREATE TABLE posts (id int);")
                    .migration("tags", "CREATE TABLE tags (id int);")
                    .write();

            assertEquals(3, cache.current().migrations().size());
        }
    }
}
