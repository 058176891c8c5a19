package dev.mellon.migrator.engine.lock;

/**
 * The apply session goes through a transaction pooler: two statements reached different backends, so the advisory
 * lock could not serialise anything. Nothing was touched.
 */
public final class PooledSessionException extends RuntimeException {

    public PooledSessionException(int firstPid, int secondPid) {
        super("The apply session is pooled: two statements on it reached different PostgreSQL backends (pids " + firstPid
                + " and " + secondPid + "), so its session-level advisory lock and settings would not hold. Point "
                + "MIGRATOR_DIRECT_DATABASE_URL at the database directly (not through PgBouncer's transaction mode); "
                + "DATABASE_URL may stay on the pooler for reads");
    }
}
