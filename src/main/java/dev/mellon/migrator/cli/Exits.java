package dev.mellon.migrator.cli;

import dev.mellon.migrator.web.Problem;
import dev.mellon.migrator.engine.apply.FailureKind;

/**
 * The command line's exit codes. They are part of its interface: documented in docs/cli.md, never renumbered. A failure
 * takes its code from its {@link FailureKind}.
 */
public final class Exits {

    /** Done; for {@code diff}, no drift; for {@code check}, no error. */
    public static final int OK = 0;
    /** The command failed: a migration, the database, the folder, or {@code check} found errors. */
    public static final int FAILED = FailureKind.Exit.FAILED;
    /** Bad usage: an unknown command or option, an invalid value, no database URL. */
    public static final int USAGE = 2;
    /** {@code diff} found drift. */
    public static final int DRIFT = 3;
    /** The migration lock was not acquired within {@code --wait}. */
    public static final int LOCK = FailureKind.Exit.LOCK;
    /**
     * Refused: applied files changed, entries out of order, moved or ambiguous, or the run would strand entries; a push
     * that would delete data without {@code --accept-data-loss}.
     */
    public static final int REFUSED = FailureKind.Exit.REFUSED;

    private Exits() {
    }

    static int of(Throwable e, Problem problem) {
        FailureKind kind = FailureKind.of(e);
        if (kind != FailureKind.ERROR) {
            return kind.exitCode();
        }
        return problem.status == 400 ? USAGE : FAILED;
    }
}
