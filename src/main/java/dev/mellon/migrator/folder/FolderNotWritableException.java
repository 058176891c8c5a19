package dev.mellon.migrator.folder;

/** The folder cannot be written (configured read-only, or refused by the file system). */
public final class FolderNotWritableException extends RuntimeException {
    public FolderNotWritableException(String message, Throwable cause) {
        super(message, cause);
    }
}
