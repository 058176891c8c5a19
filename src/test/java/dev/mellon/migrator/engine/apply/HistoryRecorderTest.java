package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.UnknownMigrationException;
import dev.mellon.migrator.engine.edit.BaselineMismatchException;
import dev.mellon.migrator.engine.edit.Baseliner;
import dev.mellon.migrator.engine.edit.HistoryEditRefusedException;
import dev.mellon.migrator.engine.edit.HistoryRecorder;
import dev.mellon.migrator.engine.gate.VersionGate;
import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.lock.PostgresSessions;
import dev.mellon.migrator.engine.schema.Canonicalizer;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.schema.SchemaInspector;
import dev.mellon.migrator.testing.TestSandboxes;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.FolderBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mark-applied, accept-change and the version gate against a real PostgreSQL. */
class HistoryRecorderTest extends EngineDatabaseTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void markAppliedRecordsTheRowWithoutRunningTheSqlAndIsAudited() throws Exception {
        Path folder = new FolderBuilder(dir)
                .migration("exists", "CREATE TABLE already_there (id int);")
                .migration("next", "CREATE TABLE next (id int);")
                .write();
        try (Connection c = db.connect(); var st = c.createStatement()) {
            st.execute("CREATE TABLE already_there (id int)");
        }
        Migrator migrator = migrator(folder);
        HistoryRecorder recorder = new HistoryRecorder(migrator);
        HistoryRecorder.Recorded recorded = recorder.markApplied("0000_exists", "created by hand in 2024", WAIT, TEST);
        assertEquals(MigrationState.PENDING, recorded.before());
        assertEquals(MigrationState.APPLIED, migrator.status().migrations().get(0).state());
        HistoryEditRefusedException twice = assertThrows(HistoryEditRefusedException.class,
                () -> recorder.markApplied("0000_exists", "again", WAIT, TEST));
        assertEquals(MigrationState.APPLIED, twice.state());
        assertThrows(UnknownMigrationException.class, () -> recorder.markApplied("0009_nope", "x", WAIT, TEST));
        ApplyResult result = migrator.apply(ApplyOptions.defaults(), TEST);
        assertEquals(List.of("0001_next"), result.applied().stream().map(AppliedMigration::tag).toList());
        try (Connection c = db.connect()) {
            assertEquals(2, Catalog.trackingRows(c).size());
            assertEquals(List.of("marked-applied created by hand in 2024"), Catalog.strings(c,
                    "select action || ' ' || reason from drizzle.__mellon_migrator_audit where reason is not null"));
        }
    }

    @Test
    void acceptChangeMakesAnEditedFileCountAsApplied() throws Exception {
        FolderBuilder builder = new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);");
        Path folder = builder.write();
        Migrator migrator = migrator(folder);
        migrator.apply(ApplyOptions.defaults(), TEST);
        new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int); -- reformatted").write();
        assertEquals(MigrationState.CHANGED, migrator.status().migrations().get(0).state());
        HistoryRecorder recorder = new HistoryRecorder(migrator);
        assertThrows(HistoryEditRefusedException.class, () -> recorder.markApplied("0000_one", "no", WAIT, TEST));
        recorder.acceptChange("0000_one", "comment added after the fact", WAIT, TEST);
        assertEquals(MigrationState.APPLIED, migrator.status().migrations().get(0).state());
        assertTrue(migrator.apply(ApplyOptions.defaults(), TEST).applied().isEmpty());
        assertThrows(HistoryEditRefusedException.class, () -> recorder.acceptChange("0000_one", "again", WAIT, TEST));
    }

    @Test
    void theVersionGateAnswersWithin100MsOfTheApplyThatReachesTheTag() throws Exception {
        Path folder = new FolderBuilder(dir)
                .migration("one", "CREATE TABLE one (id int);")
                .migration("two", "CREATE TABLE two (id int);")
                .write();
        Migrator migrator = migrator(folder);
        try (VersionGate gate = new VersionGate(migrator,
                PostgresSessions.simpleProtocol(db.jdbcUrl(), db.user(), db.password()))) {
            VersionGate.Outcome early = gate.await("0001_two", Duration.ofMillis(300));
            assertFalse(early.reached());
            assertEquals(MigrationState.PENDING, early.state());
            CompletableFuture<Long> answeredAt = CompletableFuture.supplyAsync(() -> {
                VersionGate.Outcome outcome = gate.await(null, Duration.ofSeconds(30));
                assertTrue(outcome.reached());
                assertEquals("0001_two", outcome.tag());
                return System.nanoTime();
            });
            Thread.sleep(500);
            assertFalse(answeredAt.isDone());
            migrator.apply(ApplyOptions.defaults(), TEST);
            long appliedAt = System.nanoTime();
            long lagMillis = TimeUnit.NANOSECONDS.toMillis(answeredAt.get(10, TimeUnit.SECONDS) - appliedAt);
            assertTrue(lagMillis < 100, "the gate answered " + lagMillis + " ms after the apply returned");
            assertThrows(UnknownMigrationException.class, () -> gate.await("0007_nope", Duration.ofMillis(10)));
        }
    }

    @Test
    void baselineAdoptsADatabaseThatHasTheSchemaAndRefusesOneThatDoesNot() throws Exception {
        Path folder = exampleFolder();
        Migrator migrator = migrator(folder);
        String first = migrator.folder().migrations().get(0).tag();
        String second = migrator.folder().migrations().get(1).tag();
        dev.mellon.migrator.engine.sandbox.Sandboxes shadows = TestSandboxes.on(db);
        SchemaComparer comparer = new SchemaComparer(new Canonicalizer(shadows));
        SchemaInspector inspector = new SchemaInspector(folder, new dev.mellon.migrator.folder.FolderReader(),
                dataSource(), TrackingTable.defaults());
        Canonicalizer canonicalizer = new Canonicalizer(shadows);
        Baseliner baseliner = new Baseliner(migrator, new dev.mellon.migrator.engine.schema.SchemaDiffs(migrator, inspector, comparer,
                canonicalizer, new dev.mellon.migrator.engine.schema.HistoryReplay(shadows, TrackingTable.defaults(), 2), dataSource()));

        // The database has the first entry's schema, built by hand: a baseline at the second is refused, at the first taken.
        sql(migrator.folder().migrations().get(0).statements().toArray(String[]::new));
        BaselineMismatchException mismatch = assertThrows(BaselineMismatchException.class,
                () -> baseliner.baseline(second, "adopt", WAIT, TEST));
        assertTrue(!mismatch.differences().isEmpty());
        try (Connection c = db.connect()) {
            assertEquals(0, Catalog.count(c, "select count(*) from pg_tables where tablename = '__drizzle_migrations'"),
                    "a refused baseline writes nothing");
        }
        Baseliner.Baselined done = baseliner.baseline(first, "adopting the hand-built database", WAIT, TEST);
        assertEquals(List.of(first), done.marked());
        assertEquals(MigrationState.APPLIED, migrator.status().migrations().get(0).state());
        assertEquals(List.of(second), migrator.apply(ApplyOptions.defaults(), TEST).applied().stream().map(AppliedMigration::tag).toList());
        assertThrows(UnknownMigrationException.class, () -> baseliner.baseline("0042_nope", "x", WAIT, TEST));
    }

    @Test
    void resumeWithNothingInterruptedIsRefused() throws Exception {
        Path folder = new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);").write();
        ApplyRefusedException refused = assertThrows(ApplyRefusedException.class,
                () -> migrator(folder).apply(ApplyOptions.defaults().resuming(true), TEST));
        assertEquals(ApplyRefusedException.Reason.NOTHING_TO_RESUME, refused.reason());
        try (Connection c = db.connect()) {
            assertEquals(0, Catalog.count(c, "select count(*) from pg_tables where tablename = 'one'"));
        }
    }

    /** A copy of the example folder: two entries written by drizzle-kit, each with its snapshot. */
    private Path exampleFolder() throws Exception {
        Path source = Path.of("drizzle");
        Path target = dir.resolve("example");
        try (var paths = java.nio.file.Files.walk(source)) {
            for (Path path : paths.toList()) {
                java.nio.file.Files.copy(path, target.resolve(source.relativize(path).toString()));
            }
        }
        return target;
    }

    private javax.sql.DataSource dataSource() {
        org.postgresql.ds.PGSimpleDataSource pool = new org.postgresql.ds.PGSimpleDataSource();
        pool.setUrl(db.jdbcUrl());
        pool.setUser(db.user());
        pool.setPassword(db.password());
        return pool;
    }
}
