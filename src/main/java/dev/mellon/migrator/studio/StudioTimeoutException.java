package dev.mellon.migrator.studio;

/** A studio query ran into its {@code statement_timeout} and was cancelled by PostgreSQL. */
public final class StudioTimeoutException extends RuntimeException {

    private final long timeoutMillis;

    public StudioTimeoutException(long timeoutMillis) {
        super("The query took longer than the studio's statement timeout of " + timeoutMillis
                + " ms and was cancelled; narrow it with a filter");
        this.timeoutMillis = timeoutMillis;
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }
}
