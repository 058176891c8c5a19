package dev.mellon.migrator.engine.apply;

import java.util.concurrent.ThreadLocalRandom;

/** When an apply that failed on its lock timeout starts again ({@code lockRetries}), and after how long a pause. */
final class LockRetries {

    private LockRetries() {
    }

    /**
     * A lock timeout is worth another attempt when retries are left and nothing stayed part-done outside a
     * transaction (that needs a person's resume); the rolled-back work runs again from a fresh reading of the history.
     */
    static boolean retriable(MigrationFailedException e, int attempt, int lockRetries) {
        return "55P03".equals(e.sqlState()) && e.partial() == null && attempt < lockRetries;
    }

    /** Exponential from 250 ms, capped at 5 s, with up to half again of jitter so retrying runs do not align. */
    static long pause(int attempt) {
        long base = Math.min(5_000, 250L << Math.min(attempt, 5));
        return base + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }
}
