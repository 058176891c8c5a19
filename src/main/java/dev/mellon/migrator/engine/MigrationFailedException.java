package dev.mellon.migrator.engine;

import java.util.List;

/**
 * PostgreSQL refused a statement of a migration. Everything of the transaction it ran in was rolled back.
 *
 * @see #statementIndex() the 1-based index of the chunk in the file
 */
public final class MigrationFailedException extends RuntimeException {

    private final String tag;
    private final int statementIndex;
    private final String statementFirstLine;
    private final String sqlState;
    private final String serverMessage;
    private final Integer position;
    private final String detail;
    private final String hint;
    private final List<String> committed;
    private final List<String> rolledBack;
    private final List<String> stranded;

    public MigrationFailedException(String tag, int statementIndex, String statementFirstLine, String sqlState,
                                    String serverMessage, Integer position, String detail, String hint,
                                    List<String> committed, List<String> rolledBack, List<String> stranded,
                                    Throwable cause) {
        super("Migration \"" + tag + "\" failed at statement " + statementIndex + " (" + statementFirstLine + "): "
                + serverMessage + (sqlState == null ? "" : " [SQLSTATE " + sqlState + "]"), cause);
        this.tag = tag;
        this.statementIndex = statementIndex;
        this.statementFirstLine = statementFirstLine;
        this.sqlState = sqlState;
        this.serverMessage = serverMessage;
        this.position = position;
        this.detail = detail;
        this.hint = hint;
        this.committed = List.copyOf(committed);
        this.rolledBack = List.copyOf(rolledBack);
        this.stranded = List.copyOf(stranded);
    }

    public String tag() {
        return tag;
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

    public String serverMessage() {
        return serverMessage;
    }

    /** The 1-based character position of the error inside the statement, when PostgreSQL gave one. */
    public Integer position() {
        return position;
    }

    public String detail() {
        return detail;
    }

    public String hint() {
        return hint;
    }

    /** Migrations of this run that stay applied (mode {@code each}, or before a self-managed transaction). */
    public List<String> committed() {
        return committed;
    }

    /** Migrations of this run whose work was rolled back with the failing one. */
    public List<String> rolledBack() {
        return rolledBack;
    }

    /**
     * Unapplied migrations whose {@code when} is at or below the high-water mark this run's committed part raised:
     * drizzle would skip them forever. Empty unless something was committed before the failure.
     */
    public List<String> stranded() {
        return stranded;
    }

    /** True when PostgreSQL refused the statement only because it ran inside a transaction block (SQLSTATE 25001). */
    public boolean notAllowedInTransaction() {
        return "25001".equals(sqlState);
    }
}
