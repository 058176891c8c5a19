package dev.mellon.migrator.web;

/** The request names a value that is not acceptable; {@link #field()} says which. */
public final class InvalidRequestException extends RuntimeException {

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
