package dev.mellon.migrator.engine.schema;

/** A side of a comparison that names nothing this service knows: the caller's mistake, in the named field. */
public final class InvalidSourceException extends RuntimeException {

    private final String field;

    public InvalidSourceException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
