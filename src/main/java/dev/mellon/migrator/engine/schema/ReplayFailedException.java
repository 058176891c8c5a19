package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.engine.apply.ServerError;

import java.sql.SQLException;

/**
 * The history's SQL could not be replayed in a sandbox: a statement failed there for a reason other than a privilege
 * the sandbox role lacks (a function or schema the history expects from elsewhere, an extension the sandbox server
 * does not offer). Where it stopped, without the server's own words (those are logged).
 */
public final class ReplayFailedException extends RuntimeException {

    private final String tag;
    private final int statementIndex;
    private final String sqlState;
    private final String statement;
    private final ServerError server;

    public ReplayFailedException(String tag, int statementIndex, String statementFirstLine, SQLException cause) {
        super("the history could not be replayed: \"" + tag + "\" statement " + statementIndex + " (" + statementFirstLine
                + ") failed in the sandbox [SQLSTATE " + cause.getSQLState() + "]", cause);
        this.tag = tag;
        this.statementIndex = statementIndex;
        this.sqlState = cause.getSQLState();
        this.statement = statementFirstLine;
        this.server = ServerError.of(cause);
    }

    public ReplayFailedException(String message) {
        super(message);
        this.tag = null;
        this.statementIndex = 0;
        this.sqlState = null;
        this.statement = null;
        this.server = null;
    }

    public String tag() {
        return tag;
    }

    public int statementIndex() {
        return statementIndex;
    }

    public String sqlState() {
        return sqlState;
    }

    /** The failed statement's first line, or {@code null}. */
    public String statement() {
        return statement;
    }

    /** What PostgreSQL said (its message and the position in the statement), or {@code null}. */
    public ServerError server() {
        return server;
    }
}
