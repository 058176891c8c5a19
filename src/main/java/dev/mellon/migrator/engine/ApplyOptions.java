package dev.mellon.migrator.engine;

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
 */
public record ApplyOptions(boolean dryRun, String target, Duration lockWait, TransactionMode transactionMode,
                           boolean allowOutOfOrder, boolean allowChanged, boolean allowMoved) {

    public ApplyOptions {
        Objects.requireNonNull(lockWait, "lockWait");
        Objects.requireNonNull(transactionMode, "transactionMode");
        if (lockWait.isNegative()) {
            throw new IllegalArgumentException("The lock wait must not be negative: " + lockWait);
        }
    }

    public static ApplyOptions defaults() {
        return new ApplyOptions(false, null, Duration.ofSeconds(60), TransactionMode.ALL, false, false, false);
    }

    public ApplyOptions withTransactionMode(TransactionMode mode) {
        return new ApplyOptions(dryRun, target, lockWait, mode, allowOutOfOrder, allowChanged, allowMoved);
    }

    public ApplyOptions withLockWait(Duration wait) {
        return new ApplyOptions(dryRun, target, wait, transactionMode, allowOutOfOrder, allowChanged, allowMoved);
    }

    public ApplyOptions withTarget(String tag) {
        return new ApplyOptions(dryRun, tag, lockWait, transactionMode, allowOutOfOrder, allowChanged, allowMoved);
    }

    public ApplyOptions allowing(boolean outOfOrder, boolean changed) {
        return new ApplyOptions(dryRun, target, lockWait, transactionMode, outOfOrder, changed, allowMoved);
    }

    public ApplyOptions allowingMoved(boolean moved) {
        return new ApplyOptions(dryRun, target, lockWait, transactionMode, allowOutOfOrder, allowChanged, moved);
    }

    public ApplyOptions asDryRun() {
        return new ApplyOptions(true, target, lockWait, transactionMode, allowOutOfOrder, allowChanged, allowMoved);
    }
}
