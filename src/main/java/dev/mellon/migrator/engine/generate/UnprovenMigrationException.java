package dev.mellon.migrator.engine.generate;

import dev.mellon.migrator.engine.schema.Verification;

import java.util.List;

/**
 * A generated migration that failed its proof: PostgreSQL refused one of its statements on a replay of the history,
 * or the schema it produced is not the desired one. Nothing was written.
 */
public final class UnprovenMigrationException extends RuntimeException {

    private final Verification verification;
    private final List<String> statements;

    public UnprovenMigrationException(Verification verification, List<String> statements) {
        super(message(verification));
        this.verification = verification;
        this.statements = List.copyOf(statements);
    }

    private static String message(Verification v) {
        if (v instanceof Verification.Failed f) {
            return "The generated migration fails on PostgreSQL: \"" + f.tag() + "\" statement " + f.statementIndex() + " ("
                    + f.statement() + ") was refused" + (f.sqlState() == null ? "" : " [SQLSTATE " + f.sqlState() + "]")
                    + (f.position() == null ? "" : " at character " + f.position())
                    + (f.hint() == null ? "" : ": " + f.hint())
                    + ". Nothing was written: where the statement takes text from the schema (a default, a check, a view), fix it "
                    + "there; otherwise the generator is wrong: please report it with the snapshot";
        }
        if (v instanceof Verification.Incomplete i) {
            return "The generated migration runs but does not produce the desired schema: " + i.remaining().size()
                    + " difference(s) remain. Nothing was written; this is a bug of the generator: please report it with the snapshot";
        }
        throw new IllegalArgumentException("a proven or unproven migration is no failure: " + v.status());
    }

    public Verification verification() {
        return verification;
    }

    /** The statements that were generated, for the caller to see what failed. */
    public List<String> statements() {
        return statements;
    }
}
