package dev.mellon.migrator.engine.core;

/** The database could not be reached or refused the connection. Nothing was applied. */
public final class DatabaseUnavailableException extends RuntimeException {

    private final String sqlState;

    public DatabaseUnavailableException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }
}
