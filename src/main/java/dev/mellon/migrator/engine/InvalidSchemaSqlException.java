package dev.mellon.migrator.engine;

/**
 * Submitted DDL that PostgreSQL refused in the shadow database. The position is mapped to the line and column of the
 * submitted text.
 */
public final class InvalidSchemaSqlException extends RuntimeException {

    private final String sqlState;
    private final String serverMessage;
    private final Integer line;
    private final Integer column;

    public InvalidSchemaSqlException(String sqlState, String serverMessage, Integer line, Integer column, Throwable cause) {
        super("The schema SQL was refused" + (line == null ? "" : " at line " + line + ", column " + column) + ": "
                + serverMessage + (sqlState == null ? "" : " [SQLSTATE " + sqlState + "]"), cause);
        this.sqlState = sqlState;
        this.serverMessage = serverMessage;
        this.line = line;
        this.column = column;
    }

    public String sqlState() {
        return sqlState;
    }

    public String serverMessage() {
        return serverMessage;
    }

    public Integer line() {
        return line;
    }

    public Integer column() {
        return column;
    }
}
