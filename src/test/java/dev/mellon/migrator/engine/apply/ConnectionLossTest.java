package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.core.TransactionMode;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.FolderBuilder;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The apply session's connection is lost mid-migration: the reply says what was observed afterwards. */
class ConnectionLossTest {

    private static final RunContext TEST = RunContext.of("test");
    private static final String APPLYING = "mellon-migrator applying " + Integer.toHexString(TrackingTable.defaults().lockKey());

    @TempDir
    Path dir;

    private TestDatabase database;
    private TestDatabase.Database db;

    @BeforeEach
    void createDatabase() throws Exception {
        database = TestDatabase.create("mellon_lost");
        db = database.database();
        // Sleeps only while the database setting says so, so the retry after the loss runs fast.
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("ALTER DATABASE \"" + db.name() + "\" SET mellon.test_sleep = '5'");
        }
    }

    @AfterEach
    void dropDatabase() {
        database.close();
    }

    private Path folder() {
        return new FolderBuilder(dir)
                .migration("one", "CREATE TABLE one (id int);")
                .migration("slow", "CREATE TABLE slow (id int);",
                        "SELECT pg_sleep(coalesce(nullif(current_setting('mellon.test_sleep', true), ''), '0')::float);")
                .write();
    }

    /** Runs an apply and ends its session from outside while the sleeping statement runs. */
    private ConnectionLostException terminatedDuringSleep(Migrator migrator, ApplyOptions options) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            Future<ApplyResult> run = pool.submit(() -> migrator.apply(options, TEST));
            String sleeping = "select count(*) from pg_stat_activity where datname = current_database()"
                    + " and application_name = '" + APPLYING + "' and query like '%pg_sleep%' and state = 'active'";
            long deadline = System.currentTimeMillis() + 20_000;
            while (Catalog.count(c, sleeping) == 0) {
                assertTrue(System.currentTimeMillis() < deadline, "the slow statement never started");
                Thread.sleep(20);
            }
            st.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database()"
                    + " and application_name = '" + APPLYING + "'");
            ExecutionException e = assertThrows(ExecutionException.class, run::get);
            return assertInstanceOf(ConnectionLostException.class, e.getCause(), String.valueOf(e.getCause()));
        } finally {
            pool.shutdownNow();
        }
    }

    private void stopSleeping() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("ALTER DATABASE \"" + db.name() + "\" RESET mellon.test_sleep");
        }
    }

    @Test
    void sessionTerminatedDuringAStatementReportsTheObservedRollbackAndTheNextApplySucceeds() throws Exception {
        Migrator migrator = MigratorTest.migrator(db, folder(), TrackingTable.defaults());
        ConnectionLostException lost = terminatedDuringSleep(migrator, ApplyOptions.defaults());

        assertTrue(lost.observed(), lost.getMessage());
        assertEquals("57P01", lost.sqlState());
        assertEquals("0001_slow", lost.tag());
        assertEquals(2, lost.statementIndex());
        assertEquals(List.of(), lost.committed());
        assertEquals(List.of("0000_one", "0001_slow"), lost.rolledBack());
        assertEquals(List.of(), lost.unknown());
        try (Connection c = db.connect()) {
            assertEquals(List.of(), Catalog.trackingRows(c));
            assertFalse(Catalog.exists(c, "public.one"));
        }

        stopSleeping();
        ApplyResult retry = migrator.apply(ApplyOptions.defaults(), TEST);
        assertEquals(List.of("0000_one", "0001_slow"), retry.applied().stream().map(AppliedMigration::tag).toList());
    }

    @Test
    void inModeEachTheMigrationsCommittedBeforeTheLossAreReportedCommitted() throws Exception {
        Migrator migrator = MigratorTest.migrator(db, folder(), TrackingTable.defaults());
        ConnectionLostException lost = terminatedDuringSleep(migrator,
                ApplyOptions.defaults().withTransactionMode(TransactionMode.EACH));

        assertTrue(lost.observed(), lost.getMessage());
        assertEquals(List.of("0000_one"), lost.committed());
        assertEquals(List.of("0001_slow"), lost.rolledBack());
        try (Connection c = db.connect()) {
            assertEquals(1, Catalog.trackingRows(c).size());
            assertTrue(Catalog.exists(c, "public.one"));
            assertFalse(Catalog.exists(c, "public.slow"));
        }
    }
}
