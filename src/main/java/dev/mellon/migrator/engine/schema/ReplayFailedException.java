package dev.mellon.migrator.engine.schema;

/**
 * The history's SQL could not be replayed in a sandbox: a statement failed there for a reason other than a privilege
 * the sandbox role lacks (a function or schema the history expects from elsewhere, an extension the sandbox server
 * does not offer). Where it stopped, without the server's own words (those are logged).
 */
public final class ReplayFailedException extends RuntimeException {

    private final String tag;
    private final int statementIndex;
    private final String sqlState;

    public ReplayFailedException(String tag, int statementIndex, String statementFirstLine, String sqlState, Throwable cause) {
        super("the history could not be replayed: \"" + tag + "\" statement " + statementIndex + " (" + statementFirstLine
                + ") failed in the sandbox [SQLSTATE " + sqlState + "]", cause);
        this.tag = tag;
        this.statementIndex = statementIndex;
        this.sqlState = sqlState;
    }

    public ReplayFailedException(String message) {
        super(message);
        this.tag = null;
        this.statementIndex = 0;
        this.sqlState = null;
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
}
