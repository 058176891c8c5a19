package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.FolderBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Migrations holding statements PostgreSQL refuses inside a transaction run outside one, statement by statement, with
 * their progress recorded so that a failed or killed run resumes instead of running the file again.
 */
class NonTransactionalApplyTest extends EngineDatabaseTest {

    @Test
    void aBareConcurrentIndexBuildInTheMiddleAppliesInOneCall() throws Exception {
        Path folder = new FolderBuilder(dir)
                .migration("table", "CREATE TABLE t (a int, b int);", "INSERT INTO t SELECT g, g FROM generate_series(1, 100) g;")
                .migration("index", "CREATE INDEX CONCURRENTLY t_a_idx ON t (a);", "CREATE INDEX CONCURRENTLY t_b_idx ON t (b); ANALYZE t;")
                .migration("after", "CREATE TABLE u (a int);")
                .write();
        ApplyResult result = migrator(folder).apply(ApplyOptions.defaults(), TEST);
        assertEquals(List.of("transaction", "no-transaction", "transaction"),
                result.applied().stream().map(AppliedMigration::mode).toList());
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("0001_index") && w.contains("CONCURRENTLY")),
                result.warnings().toString());
        try (Connection c = db.connect()) {
            assertEquals(3, Catalog.trackingRows(c).size());
            assertEquals(2, Catalog.count(c, "select count(*) from pg_index i join pg_class c on c.oid = i.indexrelid"
                    + " where c.relname in ('t_a_idx', 't_b_idx') and i.indisvalid"));
            assertEquals(0, Catalog.count(c, "select count(*) from drizzle.__mellon_migrator_audit_progress"));
        }
        assertEquals(MigrationState.APPLIED, migrator(folder).status().migrations().get(1).state());
    }

    @Test
    void anEnumValueUsedInTheSameOrTheNextMigrationAppliesInOneCall() throws Exception {
        Path folder = new FolderBuilder(dir)
                .migration("enum", "CREATE TYPE mood AS ENUM ('sad');", "CREATE TABLE person (m mood);")
                .migration("same", "ALTER TYPE mood ADD VALUE 'happy';", "INSERT INTO person VALUES ('happy');")
                .migration("add", "ALTER TYPE mood ADD VALUE 'calm';")
                .migration("use", "INSERT INTO person VALUES ('calm');")
                .write();
        ApplyResult result = migrator(folder).apply(ApplyOptions.defaults(), TEST);
        assertEquals(List.of("transaction", "no-transaction", "transaction", "transaction"),
                result.applied().stream().map(AppliedMigration::mode).toList());
        try (Connection c = db.connect()) {
            assertEquals(List.of("calm", "happy"), Catalog.strings(c, "select m::text from person order by 1"));
            assertEquals(4, Catalog.trackingRows(c).size());
        }
    }

    @Test
    void aFailureOutsideATransactionLeavesAnInterruptedEntryThatResumesAfterTheFix() throws Exception {
        sql("CREATE TABLE log (step text)");
        FolderBuilder builder = new FolderBuilder(dir)
                .migration("table", "CREATE TABLE t (a int);")
                .migration("index", "INSERT INTO log VALUES ('one');", "CREATE INDEX CONCURRENTLY t_a_idx ON t (a);",
                        "INSERT INTO log VALUES (1 / 0);", "INSERT INTO log VALUES ('four');");
        Path folder = builder.write();
        MigrationFailedException failed = assertThrows(MigrationFailedException.class,
                () -> migrator(folder).apply(ApplyOptions.defaults(), TEST));
        assertEquals("0001_index", failed.tag());
        assertEquals(3, failed.statementIndex());
        assertNotNull(failed.partial());
        assertEquals(2, failed.partial().statementsDone());
        assertEquals(List.of("0000_table"), failed.committed(), "the migration before was committed first");

        MigrationStatus interrupted = migrator(folder).status().migrations().get(1);
        assertEquals(MigrationState.INTERRUPTED, interrupted.state());
        assertEquals(2, interrupted.progress().statementsDone());
        ApplyRefusedException refused = assertThrows(ApplyRefusedException.class,
                () -> migrator(folder).apply(ApplyOptions.defaults(), TEST));
        assertEquals(ApplyRefusedException.Reason.INTERRUPTED, refused.reason());

        // The fix: the failing statement is corrected; resume goes on from it.
        new FolderBuilder(dir)
                .migration("table", "CREATE TABLE t (a int);")
                .migration("index", "INSERT INTO log VALUES ('one');", "CREATE INDEX CONCURRENTLY t_a_idx ON t (a);",
                        "INSERT INTO log VALUES ('three');", "INSERT INTO log VALUES ('four');")
                .write();
        ApplyResult resumed = migrator(folder).apply(ApplyOptions.defaults().resuming(true), TEST);
        assertEquals(1, resumed.applied().size());
        assertEquals(2, resumed.applied().get(0).resumedFrom());
        try (Connection c = db.connect()) {
            assertEquals(List.of("four", "one", "three"), Catalog.strings(c, "select step from log order by 1"),
                    "statements done before the failure ran once");
            assertEquals(2, Catalog.trackingRows(c).size());
            assertEquals(0, Catalog.count(c, "select count(*) from drizzle.__mellon_migrator_audit_progress"));
            assertEquals(1, Catalog.count(c, "select count(*) from drizzle.__mellon_migrator_audit where action = 'applied-resumed'"));
        }
    }

    @Test
    void aRunThatDiedAfterTheLastStatementIsResumedWithoutRunningAnythingAgain() throws Exception {
        sql("CREATE TABLE log (step text)");
        Path folder = new FolderBuilder(dir)
                .migration("index", "INSERT INTO log VALUES ('one');", "CREATE INDEX CONCURRENTLY log_idx ON log (step);")
                .write();
        Migrator migrator = migrator(folder);
        // What a kill between the last statement and the tracking row leaves: the work done, the marker at 2 of 2.
        migrator.apply(ApplyOptions.defaults().asDryRun(), TEST);
        sql("INSERT INTO log VALUES ('one')", "CREATE INDEX CONCURRENTLY log_idx ON log (step)",
                "CREATE SCHEMA IF NOT EXISTS drizzle",
                TrackingTable.defaults().createProgressTableSql(),
                "INSERT INTO drizzle.__mellon_migrator_audit_progress (tag, created_at, hash, mode, statements_done,"
                        + " statements_total, run_id) VALUES ('" + migrator.folder().migrations().get(0).tag() + "', "
                        + migrator.folder().migrations().get(0).when() + ", '" + migrator.folder().migrations().get(0).hash()
                        + "', 'no-transaction', 2, 2, gen_random_uuid())");
        assertEquals(MigrationState.INTERRUPTED, migrator.status().migrations().get(0).state());
        assertThrows(ApplyRefusedException.class, () -> migrator.apply(ApplyOptions.defaults(), TEST));
        ApplyResult result = migrator.apply(ApplyOptions.defaults().resuming(true), TEST);
        assertEquals(2, result.applied().get(0).resumedFrom());
        try (Connection c = db.connect()) {
            assertEquals(1, Catalog.count(c, "select count(*) from log"), "nothing ran twice");
            assertEquals(1, Catalog.trackingRows(c).size());
        }
    }

    @Test
    void resumingAFailedConcurrentBuildReplacesTheInvalidIndexItLeft() throws Exception {
        sql("CREATE TABLE t (a int)", "INSERT INTO t VALUES (1), (1)");
        Path folder = new FolderBuilder(dir)
                .migration("unique", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_a_key ON t (a);")
                .write();
        MigrationFailedException failed = assertThrows(MigrationFailedException.class,
                () -> migrator(folder).apply(ApplyOptions.defaults(), TEST));
        assertEquals("23505", failed.sqlState());
        try (Connection c = db.connect()) {
            assertEquals(1, Catalog.count(c, "select count(*) from pg_index i join pg_class c on c.oid = i.indexrelid"
                    + " where c.relname = 't_a_key' and not i.indisvalid"), "the failed build left an INVALID index");
        }
        sql("DELETE FROM t WHERE ctid <> (SELECT min(ctid) FROM t)");
        migrator(folder).apply(ApplyOptions.defaults().resuming(true), TEST);
        try (Connection c = db.connect()) {
            assertEquals(1, Catalog.count(c, "select count(*) from pg_index i join pg_class c on c.oid = i.indexrelid"
                    + " where c.relname = 't_a_key' and i.indisvalid"), "IF NOT EXISTS must not have skipped the invalid one");
            assertEquals(1, Catalog.trackingRows(c).size());
        }
    }

    @Test
    void aStatementWaitingOnAnotherSessionsLockTimesOutNamingIt() throws Exception {
        sql("CREATE TABLE t (a int)");
        Path folder = new FolderBuilder(dir).migration("alter", "ALTER TABLE t ADD COLUMN b int;").write();
        try (Connection holder = db.connect(); Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("SELECT * FROM t /* reporting job */");
            int holderPid = holder.unwrap(org.postgresql.PGConnection.class).getBackendPID();
            ApplyOptions options = ApplyOptions.defaults()
                    .withTimeouts(new ApplyOptions.Timeouts(Duration.ofSeconds(1), null));
            MigrationFailedException failed = assertThrows(MigrationFailedException.class,
                    () -> migrator(folder).apply(options, TEST));
            assertEquals("55P03", failed.sqlState());
            assertTrue(failed.timedOut());
            assertEquals(1, failed.blockers().size(), failed.blockers().toString());
            BlockingSession blocker = failed.blockers().get(0);
            assertEquals(holderPid, blocker.pid());
            assertEquals("idle in transaction", blocker.state());
            assertTrue(blocker.query().contains("reporting job"), blocker.query());
            assertNotNull(blocker.transactionAgeMillis());
            holder.rollback();
        }
        try (Connection c = db.connect()) {
            assertEquals(0, Catalog.trackingRows(c).size());
        }
        assertNull(migrator(folder).status().migrations().get(0).progress());
    }

    @Test
    void lockRetriesWaitOutAShortBlockerWithJitteredPauses() throws Exception {
        sql("CREATE TABLE t (a int)");
        Path folder = new FolderBuilder(dir).migration("alter", "ALTER TABLE t ADD COLUMN b int;").write();
        Connection holder = db.connect();
        holder.setAutoCommit(false);
        try (Statement st = holder.createStatement()) {
            st.execute("SELECT * FROM t");
        }
        java.util.concurrent.CompletableFuture<Void> release = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(1500);
                holder.rollback();
                holder.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ApplyOptions options = ApplyOptions.defaults()
                .withTimeouts(new ApplyOptions.Timeouts(Duration.ofMillis(300), null, 6));
        ApplyResult result = migrator(folder).apply(options, TEST);
        release.get();
        assertEquals(1, result.applied().size());
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("timed out waiting for a lock")), result.warnings().toString());
        try (Connection c = db.connect()) {
            assertEquals(1, Catalog.trackingRows(c).size());
        }
    }

    @Test
    void rebuildInvalidReplacesAnIndexAFailedConcurrentBuildLeft() throws Exception {
        sql("CREATE TABLE t (a int)", "INSERT INTO t VALUES (1), (1)");
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            assertThrows(java.sql.SQLException.class, () -> st.execute("CREATE UNIQUE INDEX CONCURRENTLY \"T_a\" ON t (a)"));
        }
        sql("DELETE FROM t WHERE ctid <> (SELECT min(ctid) FROM t)");
        Path folder = new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);").write();
        ApplyResult result = migrator(folder).apply(ApplyOptions.defaults().rebuildingInvalid(true), TEST);
        assertTrue(result.warnings().stream().anyMatch(w -> w.contains("Rebuilt INVALID index public.T_a")), result.warnings().toString());
        try (Connection c = db.connect()) {
            assertEquals(1, Catalog.count(c, "select count(*) from pg_index i join pg_class c on c.oid = i.indexrelid"
                    + " where c.relname = 'T_a' and i.indisvalid and i.indisunique"));
        }
    }
}
