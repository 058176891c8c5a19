package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.diff.Difference;

import java.util.List;

/**
 * What proving a generated migration found: its SQL applied, as apply runs it, to a replay of the history it extends,
 * and the result compared with the desired schema (both printed by PostgreSQL).
 */
public sealed interface Verification {

    /** How long the proof took, in milliseconds. */
    long millis();

    /** The wire name of the outcome: {@code verified}, {@code failed}, {@code incomplete} or {@code not-verified}. */
    String status();

    default boolean verified() {
        return this instanceof Verified;
    }

    /**
     * The migration ran and produced the desired schema.
     *
     * @param notRun statements the sandbox could not run (roles and other cluster-wide steps), unproven, first lines
     */
    record Verified(long millis, List<String> notRun) implements Verification {
        public Verified {
            notRun = List.copyOf(notRun);
        }

        public String status() {
            return "verified";
        }
    }

    /**
     * PostgreSQL refused a statement of the new migration.
     *
     * @param statementIndex 1-based, among the entry's statements as apply sends them
     * @param position       1-based character position in the statement, when PostgreSQL gave one
     * @param serverMessage  PostgreSQL's own words (they may quote what the history's SQL holds: shown to admins only)
     * @param hint           what in the desired schema explains the failure, when something does; else {@code null}
     */
    record Failed(String tag, int statementIndex, String statement, String sqlState, Integer position, String serverMessage,
                  String hint, long millis) implements Verification {
        public String status() {
            return "failed";
        }
    }

    /** The migration ran but left the schema short of the desired one: what still differs. */
    record Incomplete(List<Difference> remaining, long millis) implements Verification {
        public Incomplete {
            remaining = List.copyOf(remaining);
        }

        public String status() {
            return "incomplete";
        }
    }

    /** No proof could be made (no sandbox, a history that does not replay, a desired schema that cannot be built). */
    record NotVerified(String reason, long millis) implements Verification {
        public String status() {
            return "not-verified";
        }
    }
}
