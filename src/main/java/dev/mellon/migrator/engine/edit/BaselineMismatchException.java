package dev.mellon.migrator.engine.edit;

import dev.mellon.migrator.diff.Difference;

import java.util.List;

/** The database does not have the schema a baseline would record as applied. Nothing was written. */
public final class BaselineMismatchException extends RuntimeException {

    private final String to;
    private final List<Difference> differences;
    private final String comparison;

    public BaselineMismatchException(String to, List<Difference> differences, String comparison) {
        super("The database does not have the schema of \"" + to + "\" (" + differences.size() + " difference(s), compared "
                + comparison + "); nothing was recorded. Apply or repair the differences, or baseline at another entry");
        this.to = to;
        this.differences = List.copyOf(differences);
        this.comparison = comparison;
    }

    public String to() {
        return to;
    }

    public List<Difference> differences() {
        return differences;
    }

    public String comparison() {
        return comparison;
    }
}
