package dev.mellon.migrator.engine.lock;

/** As many callers as allowed already wait for the migration lock on this service instance. Nothing was executed. */
public final class TooManyWaitersException extends RuntimeException {

    private final int maxWaiters;

    public TooManyWaitersException(int maxWaiters) {
        super(maxWaiters + " callers already wait for the migration lock on this instance (migrator.max-waiters);"
                + " retry later");
        this.maxWaiters = maxWaiters;
    }

    public int maxWaiters() {
        return maxWaiters;
    }
}
