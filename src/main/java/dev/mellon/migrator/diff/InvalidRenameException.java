package dev.mellon.migrator.diff;

/** A rename hint that does not fit the two schemas: the caller's mistake, reported as such. */
public class InvalidRenameException extends IllegalArgumentException {
    public InvalidRenameException(String message) {
        super(message);
    }
}
