package dev.mellon.migrator.cli;

import dev.mellon.migrator.api.Problem;
import dev.mellon.migrator.engine.ApplyRefusedException;
import dev.mellon.migrator.engine.DataLossRefusedException;
import dev.mellon.migrator.engine.LockNotAcquiredException;
import dev.mellon.migrator.engine.TooManyWaitersException;

/** The command line's exit codes. They are part of its interface: documented in the README, never renumbered. */
public final class Exits {

    /** Done; for {@code diff}, no drift; for {@code check}, no error. */
    public static final int OK = 0;
    /** The command failed: a migration, the database, the folder, or {@code check} found errors. */
    public static final int FAILED = 1;
    /** Bad usage: an unknown command or option, an invalid value, no database URL. */
    public static final int USAGE = 2;
    /** {@code diff} found drift. */
    public static final int DRIFT = 3;
    /** The migration lock was not acquired within {@code --wait}. */
    public static final int LOCK = 4;
    /**
     * Refused: applied files changed, entries out of order, moved or ambiguous, or the run would strand entries; a push
     * that would delete data without {@code --accept-data-loss}.
     */
    public static final int REFUSED = 5;

    private Exits() {
    }

    static int of(Throwable e, Problem problem) {
        if (e instanceof ApplyRefusedException || e instanceof DataLossRefusedException) {
            return REFUSED;
        }
        if (e instanceof LockNotAcquiredException || e instanceof TooManyWaitersException) {
            return LOCK;
        }
        if (problem.status == 400) {
            return USAGE;
        }
        return FAILED;
    }
}
