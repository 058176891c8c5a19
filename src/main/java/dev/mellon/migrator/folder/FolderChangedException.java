package dev.mellon.migrator.folder;

/** The folder changed between reading and writing it; nothing was written. */
public final class FolderChangedException extends RuntimeException {
    public FolderChangedException(String message) {
        super(message);
    }
}
