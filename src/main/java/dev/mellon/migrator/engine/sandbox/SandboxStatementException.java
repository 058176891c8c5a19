package dev.mellon.migrator.engine.sandbox;

import java.util.UUID;

/**
 * A statement a sandbox refused (it is not schema DDL, or carries more than one statement) or that PostgreSQL
 * failed there. The server's own message can quote what the statement read (a file's content, a row), so it is kept
 * apart: {@link #getMessage()} never holds it, and the engine logs it under {@link #errorId()} with the caller.
 *
 * @param statementIndex 1-based position of the statement among those the sandbox ran for this request
 */
public final class SandboxStatementException extends RuntimeException {

    /** Why: the sandbox refused the statement before it ran, or PostgreSQL failed it. */
    public enum Kind { REFUSED, FAILED, TIMED_OUT }

    private final Kind kind;
    private final int statementIndex;
    private final String statementFirstLine;
    private final String sqlState;
    private final String serverMessage;
    private final Integer line;
    private final Integer column;
    private final String errorId = UUID.randomUUID().toString();

    public SandboxStatementException(Kind kind, String summary, int statementIndex, String statementFirstLine, String sqlState,
                                     String serverMessage, Integer line, Integer column, Throwable cause) {
        super(summary, cause);
        this.kind = kind;
        this.statementIndex = statementIndex;
        this.statementFirstLine = statementFirstLine;
        this.sqlState = sqlState;
        this.serverMessage = serverMessage;
        this.line = line;
        this.column = column;
    }

    public Kind kind() {
        return kind;
    }

    public int statementIndex() {
        return statementIndex;
    }

    public String statementFirstLine() {
        return statementFirstLine;
    }

    public String sqlState() {
        return sqlState;
    }

    /** PostgreSQL's message: for admins and the log only. */
    public String serverMessage() {
        return serverMessage;
    }

    /** Line and column in the submitted text, for DDL a caller sent; {@code null} otherwise. */
    public Integer line() {
        return line;
    }

    public Integer column() {
        return column;
    }

    public String errorId() {
        return errorId;
    }
}
