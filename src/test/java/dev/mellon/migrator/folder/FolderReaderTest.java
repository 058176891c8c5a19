package dev.mellon.migrator.folder;

import dev.mellon.migrator.testing.Corpus;
import dev.mellon.migrator.testing.FolderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FolderReaderTest {

    private final FolderReader reader = new FolderReader();

    /** Counts from ../shared/corpus/README.md: entries, chunks, orphan .sql files, entries without a snapshot. */
    @ParameterizedTest
    @CsvSource({
            "dokploy, 186, 839, 1, 0",
            "ctrlplane, 197, 1237, 0, 0",
            "claude_code_hub, 119, 417, 1, 1",
            "pluggedin_app, 103, 611, 25, 4"})
    void readsEveryCorpusWithItsQuirks(String name, int entries, int chunks, int orphans, int missingSnapshots)
            throws Exception {
        Path folder = Corpus.folder(name);
        MigrationFolder read = reader.read(folder);

        assertEquals(entries, read.migrations().size());
        assertEquals(chunks, read.migrations().stream().mapToInt(m -> m.statements().size()).sum());
        assertEquals(orphans, count(read, "orphan-sql-file"));
        assertEquals(missingSnapshots, count(read, "missing-snapshot"));
        for (Migration m : read.migrations()) {
            assertEquals(sha256(Files.readAllBytes(folder.resolve(m.fileName()))), m.hash(), m.tag());
        }
    }

    @Test
    void legacyPgDialectHeaderIsAccepted() {
        MigrationFolder read = reader.read(Corpus.folder("dokploy"));
        assertEquals("pg", read.dialect());
        assertEquals("0000_reflective_puck", read.migrations().get(0).tag());
    }

    @Test
    void explicitTransactionControlIsDetectedOnlyAtTopLevel() {
        MigrationFolder read = reader.read(Corpus.folder("ctrlplane"));
        List<String> selfManaged = read.migrations().stream().filter(Migration::managesOwnTransaction).map(Migration::tag).toList();
        // 0065 opens with BEGIN; and ends with COMMIT;. Hundreds of DO $$ BEGIN … END $$ blocks must not count.
        assertEquals(List.of("0065_familiar_jazinda"), selfManaged);
    }

    @Test
    void nonIncreasingWhenIsAWarning() {
        MigrationFolder read = reader.read(Corpus.folder("pluggedin_app"));
        assertTrue(read.warnings().stream().anyMatch(w -> w.code().equals("non-increasing-when")
                && w.file().equals("0066_fix_missing_username.sql")), read.warnings().toString());
    }

    @Test
    void splitsOnTheMarkerOnlyAndKeepsEveryChunkVerbatim(@TempDir Path dir) {
        new FolderBuilder(dir).rawMigration("x", "CREATE TABLE a (id int);--> statement-breakpoint\n"
                + "--> statement-breakpoint\n-- only a comment\n--> statement-breakpoint\nSELECT 1;", true).write();
        Migration m = reader.read(dir).migrations().get(0);
        assertEquals(List.of("CREATE TABLE a (id int);", "\n", "\n-- only a comment\n", "\nSELECT 1;"), m.statements());
    }

    @Test
    void fileWithoutBreakpointsIsOneChunk(@TempDir Path dir) {
        new FolderBuilder(dir).rawMigration("x", "CREATE TABLE a (id int);\nCREATE TABLE b (id int);", false).write();
        Migration m = reader.read(dir).migrations().get(0);
        assertEquals(1, m.statements().size());
        assertFalse(m.breakpoints());
    }

    @Test
    void crlfIsHashedAsIs(@TempDir Path dir) throws Exception {
        new FolderBuilder(dir).rawMigration("x", "SELECT 1;\r\nSELECT 2;", true).write();
        Migration m = reader.read(dir).migrations().get(0);
        assertEquals(sha256("SELECT 1;\r\nSELECT 2;".getBytes(StandardCharsets.UTF_8)), m.hash());
    }

    @Test
    void invalidUtf8IsHashedAsDrizzleDoesAfterReplacement(@TempDir Path dir) throws Exception {
        new FolderBuilder(dir).rawMigration("x", "SELECT 1;", true).write();
        byte[] bytes = {'S', 'E', 'L', 'E', 'C', 'T', ' ', '\'', (byte) 0xC3, '\'', ';'};
        Files.write(dir.resolve("0000_x.sql"), bytes);
        Migration m = reader.read(dir).migrations().get(0);
        assertEquals(sha256("SELECT '\uFFFD';".getBytes(StandardCharsets.UTF_8)), m.hash());
    }

    @Test
    void journalWithoutOptionalFieldsStillReads(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("meta"));
        Files.writeString(dir.resolve("meta/_journal.json"), "{\"entries\":[{\"tag\":\"0000_a\",\"when\":5}]}");
        Files.writeString(dir.resolve("0000_a.sql"), "SELECT 1;");
        Migration m = reader.read(dir).migrations().get(0);
        assertEquals(0, m.idx());
        assertTrue(m.breakpoints());
        assertEquals(5, m.when());
    }

    @Test
    void missingJournal(@TempDir Path dir) {
        FolderException e = assertThrows(FolderException.class, () -> reader.read(dir));
        assertEquals(FolderException.Kind.JOURNAL_MISSING, e.kind());
        assertEquals("meta/_journal.json", e.file());
    }

    @Test
    void missingFolder(@TempDir Path dir) {
        FolderException e = assertThrows(FolderException.class, () -> reader.read(dir.resolve("nope")));
        assertEquals(FolderException.Kind.FOLDER_MISSING, e.kind());
    }

    @Test
    void journalThatIsNotJson(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("meta"));
        Files.writeString(dir.resolve("meta/_journal.json"), "{\"entries\": [");
        FolderException e = assertThrows(FolderException.class, () -> reader.read(dir));
        assertEquals(FolderException.Kind.JOURNAL_INVALID, e.kind());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"version\":\"7\"}|/entries",
            "{\"entries\":[{\"when\":1}]}|/entries/0/tag",
            "{\"entries\":[{\"tag\":\"0000_a\"}]}|/entries/0/when",
            "{\"entries\":[{\"tag\":\"0000_a\",\"when\":\"soon\"}]}|/entries/0/when",
            "{\"dialect\":\"mysql\",\"entries\":[]}|/dialect",
            "{\"entries\":[{\"tag\":\"0000_a\",\"when\":1},{\"tag\":\"0000_a\",\"when\":2}]}|/entries/1/tag"})
    void journalFieldProblemsNameTheField(String journal, String field, @TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("meta"));
        Files.writeString(dir.resolve("meta/_journal.json"), journal);
        Files.writeString(dir.resolve("0000_a.sql"), "SELECT 1;");
        FolderException e = assertThrows(FolderException.class, () -> reader.read(dir));
        assertEquals(FolderException.Kind.JOURNAL_INVALID, e.kind());
        assertEquals(field, e.field());
    }

    @ParameterizedTest
    @CsvSource({"../escape", "a/b", "..", "sub\\\\x"})
    void tagsThatLeaveTheFolderAreRefusedBeforeAnyFileIsRead(String tag, @TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("meta"));
        Files.writeString(dir.resolve("meta/_journal.json"),
                "{\"entries\":[{\"tag\":\"" + tag.replace("\\", "\\\\") + "\",\"when\":1}]}");
        FolderException e = assertThrows(FolderException.class, () -> reader.read(dir));
        assertEquals(FolderException.Kind.TAG_INVALID, e.kind());
        assertEquals("/entries/0/tag", e.field());
    }

    @Test
    void entryWhoseFileIsMissing(@TempDir Path dir) throws IOException {
        new FolderBuilder(dir).migration("a", "SELECT 1;").migration("b", "SELECT 2;").write();
        Files.delete(dir.resolve("0001_b.sql"));
        FolderException e = assertThrows(FolderException.class, () -> reader.read(dir));
        assertEquals(FolderException.Kind.FILE_MISSING, e.kind());
        assertEquals("0001_b.sql", e.file());
    }

    @Test
    void byteOrderMarkIsRefusedWithTheFileName(@TempDir Path dir) throws IOException {
        new FolderBuilder(dir).migration("a", "SELECT 1;").write();
        Files.write(dir.resolve("0000_a.sql"), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'S', 'E', 'L', 'E', 'C', 'T', ';'});
        FolderException e = assertThrows(FolderException.class, () -> reader.read(dir));
        assertEquals(FolderException.Kind.FILE_INVALID, e.kind());
        assertEquals("0000_a.sql", e.file());
        assertTrue(e.getMessage().contains("byte order mark"), e.getMessage());
    }

    @Test
    void snapshotNameIsThePrefixBeforeTheFirstUnderscore() {
        assertEquals("0001_snapshot.json", FolderReader.snapshotName("0001_square_valeria_richards"));
        assertEquals("20261124021235_snapshot.json", FolderReader.snapshotName("20261124021235_illegal_unus"));
    }

    @Test
    void exampleFolderIsClean() {
        MigrationFolder read = reader.read(Path.of("drizzle"));
        assertEquals(2, read.migrations().size());
        assertTrue(read.warnings().isEmpty(), read.warnings().toString());
        assertNull(read.migrations().get(0).transactionControl());
        assertNotNull(read.find("0001_add_new_column").orElse(null));
    }

    private static long count(MigrationFolder folder, String code) {
        return folder.warnings().stream().filter(w -> w.code().equals(code)).count();
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
