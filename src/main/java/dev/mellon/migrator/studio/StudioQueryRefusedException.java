package dev.mellon.migrator.studio;

/**
 * PostgreSQL refused a studio query for a reason that is not the caller's value nor the connection: most often a view
 * or function that tries to write inside the read-only transaction (SQLSTATE 25006).
 */
public final class StudioQueryRefusedException extends RuntimeException {

    private final String sqlState;

    public StudioQueryRefusedException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }
}
