package dev.mellon.migrator.folder;

import dev.mellon.migrator.testing.FolderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** drizzle-kit 1.0's layout, read as drizzle-orm 1.0's migrator reads it. */
class MigrationDirectoriesTest {

    @TempDir
    Path folder;

    private final FolderReader reader = new FolderReader();

    private void write(String directory, String sql) throws IOException {
        Files.createDirectories(folder.resolve(directory));
        Files.writeString(folder.resolve(directory).resolve("migration.sql"), sql, StandardCharsets.UTF_8);
        Files.writeString(folder.resolve(directory).resolve("snapshot.json"), "{}", StandardCharsets.UTF_8);
    }

    @Test
    void directoriesAreMigrationsNamedAndTimedByTheirName() throws IOException {
        write("20250102030405_second", "create table b (id int);");
        write("20250102030404_first", "create table a (id int);\n--> statement-breakpoint\ncreate index on a (id);");

        MigrationFolder read = reader.read(folder);

        assertEquals(FolderFormat.DIRECTORIES, read.format());
        assertEquals(List.of("20250102030404_first", "20250102030405_second"), read.migrations().stream().map(Migration::tag).toList());
        Migration first = read.migrations().get(0);
        assertEquals(Instant.parse("2025-01-02T03:04:04Z").toEpochMilli(), first.when());
        assertEquals("20250102030404_first/migration.sql", first.fileName());
        assertEquals("20250102030404_first", first.drizzleName());
        assertEquals(2, first.statements().size());
        assertEquals(List.of(), read.warnings());
    }

    @Test
    void theHashIsTheOneOfTheFileAsIn0x() throws IOException {
        String sql = "create table a (id int);\n";
        write("20250102030404_first", sql);
        Migration read = reader.read(folder).migrations().get(0);
        assertEquals(FolderReader.migration(0, "x", 0, sql).hash(), read.hash());
    }

    @Test
    void namesInOneSecondSortAsJavaScriptsLocaleCompare() throws IOException {
        // localeCompare: case folds first, punctuation before digits before letters; a plain string sort disagrees.
        for (String name : List.of("20250102030404_b", "20250102030404_B2", "20250102030404_a-b", "20250102030404_a_b",
                "20250102030404_A")) {
            write(name, "select 1;");
        }
        MigrationFolder read = reader.read(folder);
        assertEquals(List.of("20250102030404_A", "20250102030404_a_b", "20250102030404_a-b", "20250102030404_b",
                "20250102030404_B2"), read.migrations().stream().map(Migration::tag).toList());
        assertEquals(4, read.warnings().stream().filter(w -> w.code().equals("same-second")).count());
    }

    @Test
    void createdAtFollowsDateUtcIncludingItsCarries() {
        assertEquals(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli(), MigrationDirectories.createdAt("20251301000000_x"));
        assertEquals(Instant.parse("2025-03-03T00:00:00Z").toEpochMilli(), MigrationDirectories.createdAt("20250231000000_x"));
        assertNull(MigrationDirectories.createdAt("2025010203040_x"));
        assertNull(MigrationDirectories.createdAt("init_20250102030405"));
    }

    @Test
    void aJournalEntryMovesIntoTheDirectoryDrizzleKitUpNamesAfterItsWhen() {
        long when = Instant.parse("2025-01-02T03:04:05.678Z").toEpochMilli();
        assertEquals("20250102030405_brave_new_fox", FolderFormat.directoryName("0003_brave_new_fox", when));
        assertEquals("20250102030405_brave_new_fox", FolderReader.migration(3, "0003_brave_new_fox", when, "select 1").drizzleName());
    }

    @Test
    void entriesOfOneSecondOutOfNameOrderMoveToTheNextSecondInsteadOfBeingRefused() {
        long second = Instant.parse("2025-01-02T03:04:05Z").toEpochMilli();
        List<Migration> journal = List.of(
                FolderReader.migration(0, "0000_zebra", second + 100, "select 0"),
                FolderReader.migration(1, "0001_yak", second + 500, "select 1"),
                FolderReader.migration(2, "0002_ant", second + 900, "select 2"),
                FolderReader.migration(3, "0003_bee", second + 1_200, "select 3"),
                FolderReader.migration(4, "0004_cat", second + 60_000, "select 4"));

        assertEquals(List.of(
                new DirectoryNames.Move("0000_zebra", "20250102030405_zebra", 0),
                new DirectoryNames.Move("0001_yak", "20250102030406_yak", 1),
                new DirectoryNames.Move("0002_ant", "20250102030407_ant", 2),
                new DirectoryNames.Move("0003_bee", "20250102030408_bee", 2),
                new DirectoryNames.Move("0004_cat", "20250102030505_cat", 0)), DirectoryNames.of(journal));
    }

    @Test
    void aJournalFolderCarriesTheNamesItsDirectoriesWillHave() throws IOException {
        long second = Instant.parse("2025-01-02T03:04:05Z").toEpochMilli();
        new FolderBuilder(folder).migrationAt("zebra", second + 100, "select 0;").migrationAt("ant", second + 900, "select 1;").write();
        assertEquals(List.of("20250102030405_zebra", "20250102030406_ant"),
                reader.read(folder).migrations().stream().map(Migration::drizzleName).toList());
    }

    @Test
    void aDirectoryWithoutTheTimeIsRefusedWhereDrizzleWouldFailItsInsert() throws IOException {
        write("init", "select 1;");
        FolderException e = assertThrows(FolderException.class, () -> reader.read(folder));
        assertEquals(FolderException.Kind.FILE_INVALID, e.kind());
        assertEquals("init/migration.sql", e.file());
        assertTrue(reader.readForCheck(folder).warnings().stream().anyMatch(w -> w.code().equals("sql-file-invalid")));
    }

    @Test
    void strayDirectoriesFilesAndMissingSnapshotsAreWarnings() throws IOException {
        write("20250102030404_first", "select 1;");
        Files.delete(folder.resolve("20250102030404_first/snapshot.json"));
        Files.createDirectories(folder.resolve("notes"));
        Files.writeString(folder.resolve("loose.sql"), "select 2;");

        MigrationFolder read = reader.read(folder);

        assertEquals(List.of("missing-snapshot", "orphan-sql-file", "orphan-directory"),
                read.warnings().stream().map(FolderWarning::code).sorted((a, b) -> order(a) - order(b)).toList());
    }

    private static int order(String code) {
        return List.of("missing-snapshot", "orphan-sql-file", "orphan-directory").indexOf(code);
    }

    @Test
    void aJournalWinsOverDirectoriesAndSaysSo() throws IOException {
        new FolderBuilder(folder).migration("journal", "select 1;").write();
        write("20250102030404_first", "select 1;");
        MigrationFolder read = reader.read(folder);
        assertEquals(FolderFormat.JOURNAL, read.format());
        assertTrue(read.warnings().stream().anyMatch(w -> w.code().equals("mixed-layout")));
    }
}
