package dev.mellon.migrator.engine.apply;

import java.util.List;

/**
 * The apply session's connection broke (a network failure, a socket timeout, the server ending the session) while a
 * migration's statements or its COMMIT were in flight. Unlike a refused statement this says nothing by itself about
 * the transaction, so the engine read the tracking table again on a new session and reports what it saw there.
 */
public final class ConnectionLostException extends RuntimeException {

    private final String tag;
    private final int statementIndex;
    private final String statementFirstLine;
    private final String sqlState;
    private final boolean observed;
    private final List<String> committed;
    private final List<String> rolledBack;
    private final List<String> unknown;

    ConnectionLostException(String tag, int statementIndex, String statementFirstLine, String sqlState, String reason,
                            List<String> committedBefore, InterruptedOutcome outcome, Throwable cause) {
        super(message(tag, statementIndex, statementFirstLine, reason, committedBefore, outcome), cause);
        this.tag = tag;
        this.statementIndex = statementIndex;
        this.statementFirstLine = statementFirstLine;
        this.sqlState = sqlState;
        this.observed = outcome.observed();
        this.committed = concat(committedBefore, outcome.committed());
        this.rolledBack = outcome.rolledBack();
        this.unknown = outcome.unknown();
    }

    private static String message(String tag, int statementIndex, String statementFirstLine, String reason,
                                  List<String> committedBefore, InterruptedOutcome outcome) {
        String where = statementIndex > 0
                ? "at statement " + statementIndex + " (" + statementFirstLine + ") of \"" + tag + "\""
                : "while committing \"" + tag + "\"";
        String lost = "The connection to the database was lost " + where + ": " + reason + ". ";
        List<String> committed = concat(committedBefore, outcome.committed());
        if (!outcome.observed()) {
            return lost + "Whether the interrupted transaction committed is unknown (" + outcome.unobservedReason()
                    + "); interrupted: " + outcome.unknown() + (committed.isEmpty() ? "" : ", committed before: " + committed)
                    + ". Check GET /migrations before retrying";
        }
        return lost + "Read back afterwards: committed " + committed + ", rolled back " + outcome.rolledBack()
                + (outcome.unknown().isEmpty() ? "" : ", not recorded although parts may have run " + outcome.unknown())
                + ". Retrying the apply runs what was rolled back";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /** The migration that was running (or being committed) when the connection broke. */
    public String tag() {
        return tag;
    }

    /** The 1-based chunk that was running, or 0 when the tracking rows or the COMMIT were in flight. */
    public int statementIndex() {
        return statementIndex;
    }

    public String statementFirstLine() {
        return statementFirstLine;
    }

    public String sqlState() {
        return sqlState;
    }

    /** True when the outcome was read back from the tracking table; false when even that failed. */
    public boolean observed() {
        return observed;
    }

    /** Migrations of this run that are applied: committed before the loss, or found recorded afterwards. */
    public List<String> committed() {
        return committed;
    }

    /** Migrations of the lost transaction found without a tracking row: their work was rolled back. */
    public List<String> rolledBack() {
        return rolledBack;
    }

    /** Migrations whose outcome could not be told (see {@link InterruptedOutcome#unknown()}). */
    public List<String> unknown() {
        return unknown;
    }
}
