package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.check.CheckFinding;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.testing.FolderBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The INVALID-index query on a real database, its attribution to migrations, and the apply warning after a concurrent build. */
class InvalidIndexesTest extends EngineDatabaseTest {

    /** A unique concurrent build over duplicate values fails with 23505 and leaves its index INVALID. */
    private void failedBuild(String sql) {
        assertThrows(SQLException.class, () -> sql(sql));
    }

    @Test
    void aValidDatabaseHasNone() throws Exception {
        sql("CREATE TABLE t (a int)", "CREATE INDEX CONCURRENTLY t_a_idx ON t (a)");
        try (Connection c = db.connect()) {
            assertEquals(List.of(), InvalidIndexQuery.read(c));
        }
    }

    @Test
    void listsEveryInvalidIndexWithTheMigrationThatBuildsIt() throws Exception {
        sql("CREATE SCHEMA app", "CREATE TABLE app.\"Orders\" (a int, b int)", "INSERT INTO app.\"Orders\" VALUES (1, 1), (1, 1)",
                "CREATE TABLE other (a int)", "INSERT INTO other VALUES (1), (1)");
        failedBuild("CREATE UNIQUE INDEX CONCURRENTLY \"Orders_a_key\" ON app.\"Orders\" (a)");
        failedBuild("CREATE UNIQUE INDEX CONCURRENTLY other_a_key ON other (a)");
        failedBuild("CREATE UNIQUE INDEX CONCURRENTLY stray_key ON other (a)");
        Path folder = new FolderBuilder(dir)
                .migration("orders", "CREATE TABLE app.\"Orders\" (a int, b int);")
                .migration("old_other_key", "CREATE UNIQUE INDEX other_a_key ON other (a);")
                .migration("keys", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"Orders_a_key\" ON \"app\".\"Orders\" (a);",
                        "-- the second build\nCREATE UNIQUE INDEX CONCURRENTLY other_a_key ON other USING btree (a);")
                .migration("unrelated", "CREATE INDEX CONCURRENTLY other_b_idx ON other (a);")
                .write();
        try (Connection c = db.connect()) {
            List<InvalidIndexes.InvalidIndex> found = InvalidIndexes.find(c, new FolderReader().read(folder).migrations());
            assertEquals(List.of(
                    new InvalidIndexes.InvalidIndex("app", "Orders", "Orders_a_key", "0002_keys", false),
                    new InvalidIndexes.InvalidIndex("public", "other", "other_a_key", "0002_keys", false),
                    new InvalidIndexes.InvalidIndex("public", "other", "stray_key", null, false)), found,
                    "the last migration that creates the name wins; an index no migration creates has none");
            List<CheckFinding> findings = InvalidIndexes.findings(found);
            assertEquals(3, findings.size());
            assertTrue(findings.stream().allMatch(f -> f.severity().equals("error") && f.code().equals("invalid-index")));
            assertEquals("0002_keys.sql", findings.get(0).file());
            assertNull(findings.get(2).file());
            assertTrue(findings.get(0).message().contains("app.Orders_a_key on app.Orders is INVALID (built by 0002_keys)"),
                    findings.get(0).message());
        }
    }

    @Test
    void anApplyThatBuiltAnIndexConcurrentlyWarnsAboutInvalidOnes() throws Exception {
        sql("CREATE TABLE dup (a int)", "INSERT INTO dup VALUES (1), (1)");
        failedBuild("CREATE UNIQUE INDEX CONCURRENTLY dup_a_key ON dup (a)");
        Path plain = new FolderBuilder(dir.resolve("plain")).migration("table", "CREATE TABLE t (a int);").write();
        ApplyResult withoutBuild = MigratorTest.migrator(db, plain, TrackingTable.defaults()).apply(ApplyOptions.defaults(), TEST);
        assertFalse(withoutBuild.warnings().stream().anyMatch(w -> w.contains("INVALID")),
                "no concurrent build ran, so no query: " + withoutBuild.warnings());

        Path folder = new FolderBuilder(dir.resolve("cic"))
                .migration("table", "CREATE TABLE t (a int);")
                .migration("index", "CREATE INDEX CONCURRENTLY t_a_idx ON t (a);")
                .write();
        ApplyResult result = MigratorTest.migrator(db, folder, TrackingTable.defaults()).apply(ApplyOptions.defaults(), TEST);
        assertEquals(1, result.applied().size());
        assertTrue(result.warnings().contains("Index public.dup_a_key on public.dup is INVALID (no migration of the folder"
                + " creates an index of that name)"), result.warnings().toString());
        assertEquals(1, result.warnings().stream().filter(w -> w.contains("INVALID")).count(), result.warnings().toString());
    }
}
