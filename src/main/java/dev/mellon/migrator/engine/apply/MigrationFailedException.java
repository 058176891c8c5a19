package dev.mellon.migrator.engine.apply;

import java.util.List;

/**
 * PostgreSQL refused a statement of a migration. Everything of the transaction it ran in was rolled back.
 *
 * @see #statementIndex() the 1-based index of the chunk in the file
 */
public final class MigrationFailedException extends RuntimeException {

    private final String tag;
    private String file;
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
    private Partial partial;
    private List<BlockingSession> blockers = List.of();

    /**
     * A migration that ran outside a transaction and stopped part-way: its first {@code statementsDone} statements
     * stay done, and {@code resume} continues after them.
     */
    public record Partial(String tag, String mode, int statementsDone, int statementsTotal) {
    }

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

    /** Names the migration's file (a drizzle-kit 1.0 directory's {@code migration.sql}); by default {@code <tag>.sql}. */
    MigrationFailedException inFile(String migrationFile) {
        this.file = migrationFile;
        return this;
    }

    /** The failed migration's file, relative to the folder. */
    public String file() {
        return file != null ? file : tag + ".sql";
    }

    /** Says that the failed migration ran outside a transaction and how far it got. */
    MigrationFailedException partial(Partial progress) {
        this.partial = progress;
        return this;
    }

    /** Names the sessions that held the lock the failed statement waited for (a lock or statement timeout). */
    MigrationFailedException blockedBy(List<BlockingSession> sessions) {
        this.blockers = List.copyOf(sessions);
        return this;
    }

    /** The part-done migration, or {@code null} when the failed statement's transaction rolled back entirely. */
    public Partial partial() {
        return partial;
    }

    public List<BlockingSession> blockers() {
        return blockers;
    }

    /** Whether PostgreSQL gave up waiting for a lock (lock_timeout, 55P03) or for the statement (57014). */
    public boolean timedOut() {
        return "55P03".equals(sqlState) || "57014".equals(sqlState);
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
