package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.history.TrackingUpgradeRefusedException;
import dev.mellon.migrator.engine.upgrade.TrackingUpgrader;
import dev.mellon.migrator.folder.FolderFormat;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.FolderBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * drizzle-kit 1.0 folders against a real PostgreSQL: drizzle-orm 1.0's table and rows, pending by name, and the
 * upgrade of a 0.x table by hash where drizzle-orm 1.0 goes by the second alone.
 */
class DirectoryTrackingTest extends EngineDatabaseTest {

    private static final String ROWS = "select hash || ' ' || created_at || ' ' || coalesce(name, 'NULL') || ' '"
            + " || (applied_at is not null) from drizzle.__drizzle_migrations order by id";

    /** Three migrations, the last two made in the same second out of name order, as a fast script makes them. */
    private FolderBuilder history(Path folder) {
        return new FolderBuilder(folder)
                .migrationAt("zebra", 1_735_787_045_100L, "CREATE TABLE one (id int);")
                .migrationAt("yak", 1_735_787_046_300L, "ALTER TABLE one ADD COLUMN a int;")
                .migrationAt("ant", 1_735_787_046_700L, "ALTER TABLE one ADD COLUMN b int;");
    }

    @Test
    void appliesAsDrizzleOrm10DoesAndRecordsTheName() throws Exception {
        FolderBuilder builder = history(dir.resolve("f"));
        Path folder = builder.writeDirectories();
        Migrator migrator = migrator(folder);
        MigrationFolder read = migrator.folder();
        assertEquals(FolderFormat.DIRECTORIES, read.format());

        ApplyResult result = migrator.apply(ApplyOptions.defaults(), TEST);

        assertEquals(3, result.applied().size());
        try (Connection c = db.connect()) {
            assertEquals(List.of("id integer", "hash text", "created_at bigint", "name text", "applied_at timestamp with time zone"),
                    Catalog.strings(c, "select attname || ' ' || format_type(atttypid, atttypmod) from pg_attribute"
                            + " where attrelid = 'drizzle.__drizzle_migrations'::regclass and attnum > 0 order by attnum"));
            assertEquals(read.migrations().stream().map(m -> m.hash() + " " + m.when() + " " + m.tag() + " true").toList(),
                    Catalog.strings(c, ROWS));
        }
        assertTrue(migrator.apply(ApplyOptions.defaults(), TEST).applied().isEmpty());
    }

    @Test
    void twoDirectoriesOfOneSecondAreToldApartByName() throws Exception {
        Path folder = dir.resolve("f");
        new FolderBuilder(folder)
                .migrationAt("b_second", 1_735_787_046_100L, "CREATE TABLE two (id int);")
                .migrationAt("a_first", 1_735_787_046_200L, "CREATE TABLE one (id int);")
                .writeDirectories();
        // Written by hand in one second, sorted by name: a_first runs first, as drizzle-orm 1.0 runs them.
        java.nio.file.Files.move(folder.resolve("20250102030407_a_first"), folder.resolve("20250102030406_a_first"));
        Migrator migrator = migrator(folder);
        assertEquals(List.of("20250102030406_a_first", "20250102030406_b_second"),
                migrator.apply(ApplyOptions.defaults(), TEST).applied().stream().map(AppliedMigration::tag).toList());
        try (Connection c = db.connect()) {
            assertEquals(List.of("20250102030406_a_first 1735787046000", "20250102030406_b_second 1735787046000"),
                    Catalog.strings(c, "select name || ' ' || created_at from drizzle.__drizzle_migrations order by id"));
        }
    }

    @Test
    void aFailedMigrationNamesItsDirectorysFile() {
        FolderBuilder builder = new FolderBuilder(dir.resolve("f"))
                .migrationAt("broken", 1_735_787_045_000L, "CREATE TABLE one (id int);", "ALTER TABLE nope ADD COLUMN a int;");
        Migrator migrator = migrator(builder.writeDirectories());
        MigrationFailedException e = assertThrows(MigrationFailedException.class, () -> migrator.apply(ApplyOptions.defaults(), TEST));
        assertEquals(builder.directory(0) + "/migration.sql", e.file());
        assertEquals("42P01", e.sqlState());
    }

    @Test
    void anOlderDirectoryMergedLateIsPendingNotOutOfOrder() throws Exception {
        Path folder = dir.resolve("f");
        new FolderBuilder(folder)
                .migrationAt("first", 1_735_787_045_000L, "CREATE TABLE one (id int);")
                .migrationAt("third", 1_735_787_047_000L, "CREATE TABLE three (id int);")
                .writeDirectories();
        migrator(folder).apply(ApplyOptions.defaults(), TEST);
        new FolderBuilder(dir.resolve("late")).migrationAt("second", 1_735_787_046_000L, "CREATE TABLE two (id int);")
                .writeDirectories();
        java.nio.file.Files.move(dir.resolve("late/20250102030406_second"), folder.resolve("20250102030406_second"));

        Migrator migrator = migrator(folder);
        assertEquals(List.of(MigrationState.APPLIED, MigrationState.PENDING, MigrationState.APPLIED),
                migrator.status().migrations().stream().map(MigrationStatus::state).toList());
        assertEquals(List.of("20250102030406_second"),
                migrator.apply(ApplyOptions.defaults(), TEST).applied().stream().map(AppliedMigration::tag).toList());
    }

    @Test
    void aNamedRowWithAnotherHashIsAnEditedFileAndRefused() throws Exception {
        FolderBuilder builder = history(dir.resolve("f"));
        Path folder = builder.writeDirectories();
        migrator(folder).apply(ApplyOptions.defaults(), TEST);
        java.nio.file.Files.writeString(folder.resolve(builder.directory(2)).resolve("migration.sql"), "ALTER TABLE one ADD COLUMN c int;");

        Migrator migrator = migrator(folder);
        assertEquals(MigrationState.CHANGED, migrator.status().migrations().stream()
                .filter(s -> s.tag().equals(builder.directory(2))).findFirst().orElseThrow().state());
        ApplyRefusedException e = assertThrows(ApplyRefusedException.class, () -> migrator.apply(ApplyOptions.defaults(), TEST));
        assertEquals(ApplyRefusedException.Reason.CHANGED, e.reason());
    }

    @Test
    void a0xTableIsUpgradedByHashBeforeTheFirstApplyOfTheDirectories() throws Exception {
        // 0.x applied the journal; the team moved to 1.0 directories and added a fourth migration.
        history(dir.resolve("journal")).write();
        migrator(dir.resolve("journal")).apply(ApplyOptions.defaults(), TEST);
        FolderBuilder upgraded = history(dir.resolve("dirs")).migrationAt("fourth", 1_735_787_050_000L,
                "ALTER TABLE one ADD COLUMN d int;");
        Path folder = upgraded.writeDirectories();
        Migrator migrator = migrator(folder);

        // Read-only status already shows the names the upgrade will give.
        assertEquals(List.of(MigrationState.APPLIED, MigrationState.APPLIED, MigrationState.APPLIED, MigrationState.PENDING),
                migrator.status().migrations().stream().map(MigrationStatus::state).toList());
        ApplyResult result = migrator.apply(ApplyOptions.defaults(), TEST);

        assertEquals(List.of(upgraded.directory(3)), result.applied().stream().map(AppliedMigration::tag).toList());
        MigrationFolder read = migrator.folder();
        try (Connection c = db.connect()) {
            // The 0.x rows keep their millisecond created_at and get their directory's name and no applied_at,
            // as drizzle-orm 1.0's upgrade leaves them. "ant" was made in the second of "yak" and sorts before it, so its
            // directory is dated a second later; its row, at the old second, is still found by its hash.
            assertEquals(List.of(
                    hash(read, upgraded.directory(0)) + " 1735787045100 " + upgraded.directory(0) + " false",
                    hash(read, upgraded.directory(1)) + " 1735787046300 " + upgraded.directory(1) + " false",
                    hash(read, upgraded.directory(2)) + " 1735787046700 " + upgraded.directory(2) + " false",
                    hash(read, upgraded.directory(3)) + " 1735787050000 " + upgraded.directory(3) + " true"), Catalog.strings(c, ROWS));
        }
    }

    private static String hash(MigrationFolder folder, String tag) {
        return folder.find(tag).map(Migration::hash).orElseThrow();
    }

    /** The database without the run history, which records the refused run. */
    private static List<String> stateWithoutRuns(Connection c) throws java.sql.SQLException {
        return Catalog.state(c).stream().filter(line -> !line.contains("_runs ")).toList();
    }

    @Test
    void aRowThatRecordsNoMigrationStopsTheUpgradeAndChangesNothing() throws Exception {
        history(dir.resolve("journal")).write();
        migrator(dir.resolve("journal")).apply(ApplyOptions.defaults(), TEST);
        Path folder = new FolderBuilder(dir.resolve("dirs"))
                .migrationAt("zebra", 1_735_787_045_100L, "CREATE TABLE one (id int);").writeDirectories();
        List<String> before;
        try (Connection c = db.connect()) {
            before = stateWithoutRuns(c);
        }
        Migrator migrator = migrator(folder);
        TrackingUpgradeRefusedException e = assertThrows(TrackingUpgradeRefusedException.class,
                () -> migrator.apply(ApplyOptions.defaults(), TEST));
        assertEquals(2, e.unmatched().size());
        try (Connection c = db.connect()) {
            assertEquals(before, stateWithoutRuns(c));
        }
    }

    @Test
    void aTableDrizzleOrm10NamedByTheSecondAloneIsFoundAndRepaired() throws Exception {
        FolderBuilder builder = history(dir.resolve("f"));
        Path folder = builder.writeDirectories();
        Migrator migrator = migrator(folder);
        migrator.apply(ApplyOptions.defaults(), TEST);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            // What a time-only match does to two migrations of one second: the names swap.
            st.execute("update drizzle.__drizzle_migrations set name = case name when '" + builder.directory(1) + "' then '"
                    + builder.directory(2) + "' else '" + builder.directory(1) + "' end where name in ('"
                    + builder.directory(1) + "', '" + builder.directory(2) + "')");
            // ... in a table drizzle wrote, so no audit row of ours says which SQL ran under which name.
            st.execute("delete from drizzle.__mellon_migrator_audit");
        }
        assertEquals(List.of(MigrationState.APPLIED, MigrationState.CHANGED, MigrationState.CHANGED),
                migrator.status().migrations().stream().map(MigrationStatus::state).toList());

        TrackingUpgrader.Result plan = new TrackingUpgrader(migrator).upgrade(Duration.ofSeconds(5), true);
        assertEquals(2, plan.renames().size());
        assertFalse(plan.columnsAdded());
        TrackingUpgrader.Result done = new TrackingUpgrader(migrator).upgrade(Duration.ofSeconds(5), false);
        assertEquals(plan.renames(), done.renames());
        assertTrue(migrator.status().migrations().stream().allMatch(s -> s.state() == MigrationState.APPLIED));
        assertTrue(migrator.apply(ApplyOptions.defaults(), TEST).applied().isEmpty());
    }

    @Test
    void aJournalFolderFillsTheNameWhereTheTableHasOneWithTheDirectoryUpWillMakeIt() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("create schema drizzle");
            st.execute(TrackingTable.defaults().createNamedTableSql());
        }
        FolderBuilder builder = history(dir.resolve("journal"));
        migrator(builder.write()).apply(ApplyOptions.defaults(), TEST);
        try (Connection c = db.connect()) {
            assertEquals(List.of(builder.directory(0), builder.directory(1), builder.directory(2)),
                    Catalog.strings(c, "select name from drizzle.__drizzle_migrations order by id"));
        }
    }
}
