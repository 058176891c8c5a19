package dev.mellon.migrator.engine;

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
}
