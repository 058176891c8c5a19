package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.DataLossRefusedException;
import dev.mellon.migrator.engine.history.TrackingUpgradeRefusedException;
import dev.mellon.migrator.engine.lock.LockNotAcquiredException;
import dev.mellon.migrator.engine.lock.TooManyWaitersException;

/**
 * The kinds of failure an apply (or the work beside it under the lock) ends with, each named once: its problem type
 * on the wire, HTTP status, command-line exit code, outcome in the run history and label in the metrics. The REST
 * layer, the command line, the run history and the metrics all read these, so they cannot disagree.
 */
public enum FailureKind {
    MIGRATION_FAILED("migration-failed", 422, Exit.FAILED, "failed", "failed"),
    MIGRATION_TIMED_OUT("migration-timed-out", 422, Exit.FAILED, "failed", "failed"),
    STATEMENT_NOT_ALLOWED_IN_TRANSACTION("statement-not-allowed-in-transaction", 422, Exit.FAILED, "failed", "failed"),
    /** The connection broke and the outcome was read back afterwards. */
    CONNECTION_LOST("connection-lost", 503, Exit.FAILED, "connection-lost", "connection-lost"),
    /** The connection broke and the outcome could not be read back. */
    OUTCOME_UNKNOWN("outcome-unknown", 503, Exit.FAILED, "connection-lost", "outcome-unknown"),
    /** The history refused the run; the problem type is the reason's ({@link ApplyRefusedException.Reason#wireName()}). */
    APPLY_REFUSED("migration-refused", 409, Exit.REFUSED, "refused", "refused"),
    DATA_LOSS_REFUSED("data-loss-refused", 409, Exit.REFUSED, "refused", "refused"),
    /** A 0.x tracking table met a drizzle-kit 1.0 folder whose files cannot name every row by hash. */
    TRACKING_UPGRADE_REFUSED("tracking-upgrade-refused", 409, Exit.REFUSED, "refused", "refused"),
    LOCK_TIMEOUT("lock-timeout", 409, Exit.LOCK, "lock-timeout", "lock-timeout"),
    /** Refused before waiting: too many callers of this instance already queue for the lock. */
    TOO_MANY_WAITERS("too-many-waiters", 429, Exit.LOCK, "lock-timeout", "too-many-waiters"),
    /** Anything else: the database's or the service's fault, named in the log under an error id. */
    ERROR("internal-error", 500, Exit.FAILED, "error", "error");

    /** The command line's exit codes that failures map to (the others are usage, drift and success). */
    public static final class Exit {
        public static final int FAILED = 1;
        public static final int LOCK = 4;
        public static final int REFUSED = 5;

        private Exit() {
        }
    }

    private final String wireName;
    private final int httpStatus;
    private final int exitCode;
    private final String runOutcome;
    private final String metricsLabel;

    FailureKind(String wireName, int httpStatus, int exitCode, String runOutcome, String metricsLabel) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
        this.exitCode = exitCode;
        this.runOutcome = runOutcome;
        this.metricsLabel = metricsLabel;
    }

    /** The kind of {@code failure}; {@link #ERROR} for anything the apply does not name. */
    public static FailureKind of(Throwable failure) {
        if (failure instanceof MigrationFailedException f) {
            return f.notAllowedInTransaction() ? STATEMENT_NOT_ALLOWED_IN_TRANSACTION
                    : f.timedOut() ? MIGRATION_TIMED_OUT : MIGRATION_FAILED;
        }
        if (failure instanceof ConnectionLostException c) {
            return c.observed() ? CONNECTION_LOST : OUTCOME_UNKNOWN;
        }
        if (failure instanceof ApplyRefusedException) {
            return APPLY_REFUSED;
        }
        if (failure instanceof DataLossRefusedException) {
            return DATA_LOSS_REFUSED;
        }
        if (failure instanceof TrackingUpgradeRefusedException) {
            return TRACKING_UPGRADE_REFUSED;
        }
        if (failure instanceof LockNotAcquiredException) {
            return LOCK_TIMEOUT;
        }
        if (failure instanceof TooManyWaitersException) {
            return TOO_MANY_WAITERS;
        }
        return ERROR;
    }

    /** The problem type (for {@link #APPLY_REFUSED}, a placeholder: the reason names it). */
    public String wireName() {
        return wireName;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The {@code outcome} of the run in the apply history ({@code GET /migrations/runs}). */
    public String runOutcome() {
        return runOutcome;
    }

    /** The {@code outcome} tag of the {@code migrator.apply} metrics. */
    public String metricsLabel() {
        return metricsLabel;
    }
}
