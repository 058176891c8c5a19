package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.lock.LockNotAcquiredException;
import dev.mellon.migrator.engine.lock.PostgresSessions;
import dev.mellon.migrator.engine.lock.TooManyWaitersException;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.FolderBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Callers of one instance wait in the in-process queue, not each on a database session of its own. */
class LocalWaitingTest extends EngineDatabaseTest {

    private Migrator migrator(Path folder, int maxWaiters) {
        return new Migrator(folder, new FolderReader(), pool(),
                PostgresSessions.simpleProtocol(db.jdbcUrl(), db.user(), db.password()), TrackingTable.defaults(), maxWaiters);
    }

    @Test
    void fiveCallersOfOneInstanceRunTheSlowMigrationOnceAndHoldAtMostTwoSessions() throws Exception {
        Path folder = new FolderBuilder(dir)
                .migration("fast", "CREATE TABLE fast (id int);")
                .migration("slow", "CREATE TABLE slow (id int);", "SELECT pg_sleep(1.5);")
                .write();
        Migrator migrator = migrator(folder, 16);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        List<Future<ApplyResult>> calls = new ArrayList<>();
        long maxSessions = 0;
        try (Connection observer = db.connect()) {
            for (int i = 0; i < 5; i++) {
                calls.add(pool.submit(() -> migrator.apply(ApplyOptions.defaults(), TEST)));
            }
            String sessions = "select count(*) from pg_stat_activity where datname = current_database()"
                    + " and application_name like 'mellon-migrator%'";
            while (!calls.stream().allMatch(Future::isDone)) {
                maxSessions = Math.max(maxSessions, Catalog.count(observer, sessions));
                Thread.sleep(20);
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        List<ApplyResult> results = new ArrayList<>();
        for (Future<ApplyResult> call : calls) {
            results.add(call.get());
        }
        List<ApplyResult> runners = results.stream().filter(r -> !r.applied().isEmpty()).toList();
        assertEquals(1, runners.size(), results.toString());
        assertEquals(2, runners.get(0).applied().size());
        for (ApplyResult other : results) {
            if (other != runners.get(0)) {
                assertTrue(other.waitedForLock(), other.toString());
                assertEquals(List.of("0000_fast", "0001_slow"), other.appliedByConcurrentRun(), other.toString());
            }
        }
        assertTrue(maxSessions >= 1 && maxSessions <= 2, "sessions seen at once: " + maxSessions);
    }

    @Test
    void moreWaitersThanAllowedAreRefusedAndTheOthersGoOn() throws Exception {
        Path folder = new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);").write();
        Migrator migrator = migrator(folder, 1);
        TrackingTable table = TrackingTable.defaults();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection holder = db.connect(); Statement st = holder.createStatement()) {
            st.execute("select pg_advisory_lock(" + TrackingTable.LOCK_NAMESPACE + ", " + table.lockKey() + ")");
            Future<ApplyResult> polling = pool.submit(() -> migrator.apply(ApplyOptions.defaults(), TEST));
            for (int i = 0; i < 200 && migrator.lockStatus().waiters().isEmpty(); i++) {
                Thread.sleep(20);
            }
            Future<ApplyResult> queued = pool.submit(() -> migrator.apply(ApplyOptions.defaults(), TEST));
            for (int i = 0; i < 200 && migrator.localWaiters() < 1; i++) {
                Thread.sleep(20);
            }
            assertEquals(1, migrator.localWaiters());

            TooManyWaitersException refused = assertThrows(TooManyWaitersException.class,
                    () -> migrator.apply(ApplyOptions.defaults().withLockWait(Duration.ofSeconds(30)), TEST));
            assertEquals(1, refused.maxWaiters());

            st.execute("select pg_advisory_unlock_all()");
            ApplyResult first = polling.get(10, TimeUnit.SECONDS);
            ApplyResult second = queued.get(10, TimeUnit.SECONDS);
            assertEquals(1, first.applied().size() + second.applied().size());
            assertTrue(first.waitedForLock() && second.waitedForLock());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCallerWhoseWaitRunsOutInTheQueueGetsTheLockTimeout() throws Exception {
        Path folder = new FolderBuilder(dir).migration("one", "CREATE TABLE one (id int);").write();
        Migrator migrator = migrator(folder, 4);
        TrackingTable table = TrackingTable.defaults();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection holder = db.connect(); Statement st = holder.createStatement()) {
            st.execute("select pg_advisory_lock(" + TrackingTable.LOCK_NAMESPACE + ", " + table.lockKey() + ")");
            int holderPid = (int) Catalog.count(holder, "select pg_backend_pid()");
            Future<ApplyResult> polling = pool.submit(() -> migrator.apply(ApplyOptions.defaults(), TEST));
            for (int i = 0; i < 200 && migrator.lockStatus().waiters().isEmpty(); i++) {
                Thread.sleep(20);
            }
            LockNotAcquiredException e = assertThrows(LockNotAcquiredException.class,
                    () -> migrator.apply(ApplyOptions.defaults().withLockWait(Duration.ofMillis(200)), TEST));
            assertTrue(e.waitedMillis() >= 200, "waited " + e.waitedMillis());
            assertEquals(holderPid, e.lock().holder().pid());
            st.execute("select pg_advisory_unlock_all()");
            assertEquals(1, polling.get(10, TimeUnit.SECONDS).applied().size());
        } finally {
            pool.shutdownNow();
        }
    }
}
