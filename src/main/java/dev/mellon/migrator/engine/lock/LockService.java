package dev.mellon.migrator.engine.lock;

import dev.mellon.migrator.engine.core.DatabaseErrors;
import dev.mellon.migrator.engine.history.TrackingTable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The migration lock as a service: a caller queues behind this instance's other callers ({@link LocalQueue}), gets a
 * dedicated session from the {@link ConnectionSource}, takes the advisory lock ({@link MigrationLock}) within its
 * wait, runs its work, and releases the lock whatever happens. Apply and every use case that writes beside it (push,
 * rollback, baseline, the history's hand edits, the tracking upgrade) run under the same lock through it.
 */
public final class LockService {

    private static final Duration MAX_BACKOFF = Duration.ofMillis(500);

    private final DataSource readPool;
    private final ConnectionSource sessions;
    private final MigrationLock lock;
    private final LocalQueue queue;

    /**
     * @param readPool   for lock inspection; pooled connections are fine
     * @param sessions   opens the dedicated session each run holds its lock on
     * @param maxWaiters how many callers may queue for the lock in this instance before more are refused
     */
    public LockService(DataSource readPool, ConnectionSource sessions, TrackingTable trackingTable, int maxWaiters) {
        this.readPool = Objects.requireNonNull(readPool);
        this.sessions = Objects.requireNonNull(sessions);
        this.lock = new MigrationLock(trackingTable);
        this.queue = new LocalQueue(maxWaiters);
    }

    /** Hears a caller's wait for the lock (an apply's listener does). */
    public interface Waiting {
        Waiting NONE = new Waiting() {
        };

        /** Another run holds the lock (or callers of this instance queue before this one): this run waits. */
        default void lockWaiting() {
        }

        default void lockAcquired(long waitedMillis) {
        }
    }

    /** The tags pending right now, noted when a caller first has to wait, so that it can say what others did meanwhile. */
    public interface Pending {
        Pending NONE = new Pending() {
            @Override
            public Set<String> onPool() {
                return Set.of();
            }

            @Override
            public Set<String> on(Connection session) {
                return Set.of();
            }
        };

        /** Read on the pool: a caller about to queue holds no session yet. */
        Set<String> onPool();

        /** Read on the caller's session, before it waits for the advisory lock. */
        Set<String> on(Connection session) throws SQLException;
    }

    /** Work done on a dedicated session while it holds the migration lock. */
    @FunctionalInterface
    public interface LockedRun<T> {
        T run(Connection session, Wait wait, long waitedMillis) throws SQLException;
    }

    /** Whether this run had to wait, and which tags were pending when it started waiting. */
    public record Wait(boolean waited, Set<String> pendingBefore) {
    }

    /** How many callers of this instance queue for their turn at the lock right now (they hold no session). */
    public int waiting() {
        return queue.waiting();
    }

    public LockStatus status() {
        try (Connection connection = readPool.getConnection()) {
            return lock.inspect(connection);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Queues behind this instance's other callers, then opens a dedicated session, takes the lock (the whole wait
     * bounded by {@code wait}), runs {@code work}, and releases the lock whatever happens; closing the session would
     * release it too. {@code pending} lets a waiter say which migrations another run applied meanwhile.
     * {@code keepSession} says whether a cleanly finished session may be kept for the next run: only one that ran no
     * migration SQL is, since a kept session would not see what that SQL changed for new sessions
     * ({@code ALTER DATABASE ... SET}, {@code ALTER ROLE ... SET}) and could keep what it loaded.
     */
    public <T> T locked(Duration wait, Pending pending, Waiting listener, LockedRun<T> work, Predicate<T> keepSession) {
        long started = System.nanoTime();
        // Noted before waiting in the queue, so that a caller who waited here can say what others did meanwhile.
        AtomicReference<Set<String>> pendingBeforeQueue = new AtomicReference<>(Set.of());
        Optional<LocalQueue.Turn> entered = queue.enter(wait, () -> {
            listener.lockWaiting();
            pendingBeforeQueue.set(pending.onPool());
        });
        if (entered.isEmpty()) {
            throw new LockNotAcquiredException(millisSince(started), status());
        }
        try (LocalQueue.Turn turn = entered.get()) {
            Wait queued = new Wait(turn.waited(), pendingBeforeQueue.get());
            return lockedSession(started, wait, pending, queued, listener, work, keepSession);
        }
    }

    private <T> T lockedSession(long started, Duration wait, Pending pending, Wait queued, Waiting listener,
                                LockedRun<T> work, Predicate<T> keepSession) {
        Connection session;
        try {
            session = sessions.open();
        } catch (SQLException e) {
            throw unavailable(e);
        }
        boolean reusable = false;
        try {
            ApplySessions.prepare(session);
            Wait lockWait = acquire(session, pending, started + wait.toNanos(), started, queued, listener);
            long waitedMillis = millisSince(started);
            listener.lockAcquired(waitedMillis);
            T result;
            boolean released = false;
            try {
                MigrationLock.setApplicationName(session, lock.holdingApplicationName());
                result = work.run(session, lockWait, waitedMillis);
            } finally {
                released = releaseQuietly(session);
            }
            reusable = released && keepSession.test(result);
            return result;
        } catch (SQLException e) {
            reusable = false;
            throw unavailable(e);
        } catch (RuntimeException | Error e) {
            // A run that failed may leave the session in any state: it is closed, never kept.
            reusable = false;
            throw e;
        } finally {
            finish(session, reusable);
        }
    }

    /** Hands a cleanly finished session back to its source (which may keep it); closes any other. */
    private void finish(Connection session, boolean reusable) {
        try {
            if (reusable) {
                sessions.finished(session);
            } else {
                session.close();
            }
        } catch (SQLException e) {
            // closing a broken session: nothing more to free
        }
    }

    /**
     * Takes the lock, polling with jittered exponential backoff until {@code deadline}. Returns the tags that were
     * pending when this caller first had to wait (in the local queue or here), so the reply can say what another
     * run did meanwhile.
     */
    private Wait acquire(Connection session, Pending pending, long deadline, long started, Wait queued,
                         Waiting listener) throws SQLException {
        if (lock.tryAcquire(session)) {
            return queued;
        }
        if (!queued.waited()) {
            listener.lockWaiting();
        }
        Set<String> pendingBefore = queued.waited() ? queued.pendingBefore() : pending.on(session);
        MigrationLock.setApplicationName(session, lock.waitingApplicationName());
        long backoff = 20;
        while (true) {
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                LockStatus status = lock.inspect(session);
                throw new LockNotAcquiredException(millisSince(started), status);
            }
            sleep(Math.min(remainingMillis, backoff + ThreadLocalRandom.current().nextLong(backoff / 2 + 1)));
            if (lock.tryAcquire(session)) {
                return new Wait(true, pendingBefore);
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
        }
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Sleeps between tries at the lock (and between an apply's retries under it). */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the migration lock", e);
        }
    }

    /** Ends any open transaction and releases the lock; {@code true} when both worked and the session may be reused. */
    private boolean releaseQuietly(Connection session) {
        try {
            if (!session.getAutoCommit()) {
                session.rollback();
                session.setAutoCommit(true);
            }
            return lock.release(session);
        } catch (SQLException e) {
            // The session is closed right after; closing it frees the lock anyway.
            return false;
        }
    }

    private static RuntimeException unavailable(SQLException e) {
        return DatabaseErrors.translate("The database refused the operation", e);
    }
}
