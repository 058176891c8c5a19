package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.TransactionMode;

import java.time.Duration;
import java.util.Objects;

/**
 * What the caller asked of one apply.
 *
 * @param dryRun          plan only: report what would run, touch nothing
 * @param target          apply up to and including this tag, or {@code null} for all
 * @param lockWait        how long to wait for another run's lock before giving up
 * @param transactionMode how to group migrations into transactions
 * @param allowOutOfOrder run entries drizzle's high-water mark would skip, and leave entries below the mark this run
 *                        raises, instead of refusing
 * @param allowChanged    go on although applied files were edited, instead of refusing
 * @param allowMoved      run entries whose SQL was applied before under another {@code created_at}, as drizzle would,
 *                        instead of refusing
 * @param resume          continue interrupted migrations from the statement after the last one done, instead of
 *                        refusing
 * @param timeouts        the lock and statement timeouts of the apply session
 * @param rebuildInvalid  before running anything, drop each INVALID index a concurrent build left (concurrently) and
 *                        build it again from its definition
 */
public record ApplyOptions(boolean dryRun, String target, Duration lockWait, TransactionMode transactionMode,
                           boolean allowOutOfOrder, boolean allowChanged, boolean allowMoved, boolean resume,
                           Timeouts timeouts, boolean rebuildInvalid) {

    /**
     * {@code lock_timeout} and {@code statement_timeout} for the migrations' statements; {@code null} leaves the
     * server's setting. A DDL statement that waits longer than the lock timeout for another session fails with the
     * blocking sessions named. {@code lockRetries}: how many times a run that failed on its lock timeout (with nothing
     * left part-done outside a transaction) starts again after a jittered pause, re-reading the history each time.
     */
    public record Timeouts(Duration lock, Duration statement, int lockRetries) {
        public static final Timeouts SERVER_DEFAULTS = new Timeouts(null, null);
        /** More retries than this only stretch an outage; a deployment should rather wait for the blocker. */
        public static final int MAX_LOCK_RETRIES = 10;

        public Timeouts {
            if (lock != null && lock.isNegative() || statement != null && statement.isNegative()) {
                throw new IllegalArgumentException("Timeouts must not be negative");
            }
            if (belowOneMillisecond(lock) || belowOneMillisecond(statement)) {
                // PostgreSQL counts these in milliseconds, and 0 means no limit at all.
                throw new IllegalArgumentException("A timeout must be zero (no limit) or at least 1 ms");
            }
            if (lockRetries < 0 || lockRetries > MAX_LOCK_RETRIES) {
                throw new IllegalArgumentException("lockRetries must be between 0 and " + MAX_LOCK_RETRIES);
            }
        }

        public Timeouts(Duration lock, Duration statement) {
            this(lock, statement, 0);
        }

        /** True for a positive duration PostgreSQL would round down to 0, which it reads as "no limit". */
        public static boolean belowOneMillisecond(Duration d) {
            return d != null && !d.isZero() && !d.isNegative() && d.toMillis() < 1;
        }
    }

    public ApplyOptions {
        Objects.requireNonNull(lockWait, "lockWait");
        Objects.requireNonNull(transactionMode, "transactionMode");
        Objects.requireNonNull(timeouts, "timeouts");
        if (lockWait.isNegative()) {
            throw new IllegalArgumentException("The lock wait must not be negative: " + lockWait);
        }
    }

    public ApplyOptions(boolean dryRun, String target, Duration lockWait, TransactionMode transactionMode,
                        boolean allowOutOfOrder, boolean allowChanged, boolean allowMoved) {
        this(dryRun, target, lockWait, transactionMode, allowOutOfOrder, allowChanged, allowMoved, false,
                Timeouts.SERVER_DEFAULTS, false);
    }

    public static ApplyOptions defaults() {
        return new ApplyOptions(false, null, Duration.ofSeconds(60), TransactionMode.ALL, false, false, false);
    }

    public ApplyOptions withTransactionMode(TransactionMode mode) {
        return new ApplyOptions(dryRun, target, lockWait, mode, allowOutOfOrder, allowChanged, allowMoved, resume, timeouts, rebuildInvalid);
    }

    public ApplyOptions withLockWait(Duration wait) {
        return new ApplyOptions(dryRun, target, wait, transactionMode, allowOutOfOrder, allowChanged, allowMoved, resume, timeouts, rebuildInvalid);
    }

    public ApplyOptions withTarget(String tag) {
        return new ApplyOptions(dryRun, tag, lockWait, transactionMode, allowOutOfOrder, allowChanged, allowMoved, resume, timeouts, rebuildInvalid);
    }

    public ApplyOptions allowing(boolean outOfOrder, boolean changed) {
        return new ApplyOptions(dryRun, target, lockWait, transactionMode, outOfOrder, changed, allowMoved, resume, timeouts, rebuildInvalid);
    }

    public ApplyOptions allowingMoved(boolean moved) {
        return new ApplyOptions(dryRun, target, lockWait, transactionMode, allowOutOfOrder, allowChanged, moved, resume, timeouts, rebuildInvalid);
    }

    public ApplyOptions resuming(boolean resuming) {
        return new ApplyOptions(dryRun, target, lockWait, transactionMode, allowOutOfOrder, allowChanged, allowMoved, resuming, timeouts, rebuildInvalid);
    }

    public ApplyOptions withTimeouts(Timeouts limits) {
        return new ApplyOptions(dryRun, target, lockWait, transactionMode, allowOutOfOrder, allowChanged, allowMoved, resume, limits, rebuildInvalid);
    }

    public ApplyOptions rebuildingInvalid(boolean rebuild) {
        return new ApplyOptions(dryRun, target, lockWait, transactionMode, allowOutOfOrder, allowChanged, allowMoved, resume,
                timeouts, rebuild);
    }

    public ApplyOptions asDryRun() {
        return new ApplyOptions(true, target, lockWait, transactionMode, allowOutOfOrder, allowChanged, allowMoved, resume, timeouts, rebuildInvalid);
    }
}
