package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.TrackingUpgradeRefusedException;
import dev.mellon.migrator.engine.upgrade.TrackingUpgrader;
import dev.mellon.migrator.engine.upgrade.Upgrader;
import dev.mellon.migrator.folder.FolderChangedException;
import dev.mellon.migrator.folder.FolderFormat;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.FolderBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upgrade to drizzle 1.0 against a real PostgreSQL: the table named by hash, then the folder moved. */
class UpgraderTest extends EngineDatabaseTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private FolderBuilder history(Path folder) {
        return new FolderBuilder(folder)
                .migrationAt("zebra", 1_735_787_045_100L, "CREATE TABLE one (id int);")
                .migrationAt("yak", 1_735_787_046_300L, "ALTER TABLE one ADD COLUMN a int;")
                .migrationAt("ant", 1_735_787_046_700L, "ALTER TABLE one ADD COLUMN b int;");
    }

    private Upgrader upgrader(Migrator migrator) {
        return new Upgrader(migrator, new TrackingUpgrader(migrator));
    }

    @Test
    void aDryRunChangesNothingAndShowsTheFilesAndRows() throws Exception {
        FolderBuilder builder = history(dir.resolve("f"));
        Path folder = builder.write();
        Files.writeString(folder.resolve("meta/0000_snapshot.json"), "{\"version\":\"7\"}");
        Migrator migrator = migrator(folder);
        migrator.apply(ApplyOptions.defaults(), TEST);
        List<String> before;
        try (Connection c = db.connect()) {
            before = Catalog.state(c);
        }

        Upgrader.Result result = upgrader(migrator).upgrade(true, true, true, WAIT);

        assertEquals(FolderFormat.JOURNAL, result.formatBefore());
        assertEquals(List.of(builder.directory(0), builder.directory(1), builder.directory(2)),
                result.folder().moves().stream().map(m -> m.directory()).toList());
        assertEquals(List.of(0L, 0L, 1L), result.folder().moves().stream().map(m -> m.shiftedBy()).toList());
        assertEquals(List.of(builder.directory(0) + "/migration.sql", builder.directory(0) + "/snapshot.json",
                builder.directory(1) + "/migration.sql", builder.directory(2) + "/migration.sql"),
                result.folder().files().stream().map(f -> f.path()).toList());
        assertTrue(result.table().columnsAdded());
        assertEquals(3, result.table().renames().size());
        assertTrue(Files.exists(folder.resolve("meta/_journal.json")));
        try (Connection c = db.connect()) {
            assertEquals(before, Catalog.state(c));
        }
    }

    @Test
    void theUpgradeNamesTheRowsMovesTheFilesByteForByteAndLeavesNothingToApply() throws Exception {
        FolderBuilder builder = history(dir.resolve("f"));
        Path folder = builder.write();
        Files.writeString(folder.resolve("0001_yak.down.sql"), "ALTER TABLE one DROP COLUMN a;");
        Migrator migrator = migrator(folder);
        migrator.apply(ApplyOptions.defaults(), TEST);
        byte[] yak = Files.readAllBytes(folder.resolve("0001_yak.sql"));

        upgrader(migrator).upgrade(false, true, true, WAIT);

        assertFalse(Files.exists(folder.resolve("meta")));
        assertFalse(Files.exists(folder.resolve("0001_yak.sql")));
        assertArrayEquals(yak, Files.readAllBytes(folder.resolve(builder.directory(1)).resolve("migration.sql")));
        assertEquals("ALTER TABLE one DROP COLUMN a;", Files.readString(folder.resolve(builder.directory(1)).resolve("down.sql")));
        Migrator after = migrator(folder);
        MigrationFolder read = after.folder();
        assertEquals(FolderFormat.DIRECTORIES, read.format());
        assertTrue(after.status().migrations().stream().allMatch(s -> s.state() == MigrationState.APPLIED));
        assertTrue(after.apply(ApplyOptions.defaults(), TEST).applied().isEmpty());
        try (Connection c = db.connect()) {
            assertEquals(List.of(builder.directory(0), builder.directory(1), builder.directory(2)),
                    Catalog.strings(c, "select name from drizzle.__drizzle_migrations order by id"));
        }
        // Again: the folder is already in directories and every row named, so nothing is left to do.
        Upgrader.Result again = upgrader(after).upgrade(false, true, true, WAIT);
        assertNull(again.folder());
        assertEquals(List.of(), again.table().renames());
    }

    @Test
    void aRefusedTableLeavesTheFolderAsItWas() throws Exception {
        Path folder = history(dir.resolve("f")).write();
        Migrator migrator = migrator(folder);
        migrator.apply(ApplyOptions.defaults(), TEST);
        try (Connection c = db.connect(); java.sql.Statement st = c.createStatement()) {
            st.execute("insert into drizzle.__drizzle_migrations (hash, created_at) values ('deadbeef', 1)");
        }
        TrackingUpgradeRefusedException e = assertThrows(TrackingUpgradeRefusedException.class,
                () -> upgrader(migrator).upgrade(false, true, true, WAIT));
        assertEquals(1, e.unmatched().size());
        assertTrue(Files.exists(folder.resolve("meta/_journal.json")));
        assertTrue(Files.exists(folder.resolve("0000_zebra.sql")));
    }

    @Test
    void anExistingDirectoryStopsTheMoveBeforeAnythingIsWritten() throws Exception {
        FolderBuilder builder = history(dir.resolve("f"));
        Path folder = builder.write();
        Files.createDirectories(folder.resolve(builder.directory(2)));
        Migrator migrator = migrator(folder);
        assertThrows(FolderChangedException.class, () -> upgrader(migrator).upgrade(false, true, false, WAIT));
        assertTrue(Files.exists(folder.resolve("meta/_journal.json")));
        assertFalse(Files.exists(folder.resolve(builder.directory(0))));
    }
}
