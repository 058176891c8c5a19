package dev.mellon.migrator.engine.lock;

/** Another run held the migration lock for longer than the caller was willing to wait. Nothing was executed. */
public final class LockNotAcquiredException extends RuntimeException {

    private final long waitedMillis;
    private final LockStatus lock;

    public LockNotAcquiredException(long waitedMillis, LockStatus lock) {
        super(message(waitedMillis, lock));
        this.waitedMillis = waitedMillis;
        this.lock = lock;
    }

    private static String message(long waitedMillis, LockStatus lock) {
        LockSession holder = lock.holder();
        String who = holder == null ? "another session (it released the lock just now)"
                : "backend pid " + holder.pid()
                        + (holder.applicationName() == null || holder.applicationName().isEmpty() ? "" : " (" + holder.applicationName() + ")")
                        + (holder.clientAddress() == null ? "" : " from " + holder.clientAddress())
                        + (holder.backendStart() == null ? "" : ", connected since " + holder.backendStart());
        return "The migration lock of " + lock.trackingTable() + " is held by " + who + "; gave up after "
                + waitedMillis + " ms. Retry later or wait longer";
    }

    public long waitedMillis() {
        return waitedMillis;
    }

    public LockStatus lock() {
        return lock;
    }
}
