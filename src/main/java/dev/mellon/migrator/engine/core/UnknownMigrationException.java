package dev.mellon.migrator.engine.core;

/** A tag that the journal does not name. */
public final class UnknownMigrationException extends RuntimeException {

    private final String tag;
    private final String field;

    public UnknownMigrationException(String tag, String field) {
        super("The journal has no migration tagged \"" + tag + "\"");
        this.tag = tag;
        this.field = field;
    }

    public String tag() {
        return tag;
    }

    /** The request field that named it ({@code to}), or {@code null} when it came from the path. */
    public String field() {
        return field;
    }
}
