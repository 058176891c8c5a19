package dev.mellon.migrator.schema;

/** A snapshot that cannot be read: malformed JSON, an unknown key, a wrong type or an unsupported version. */
public final class SnapshotException extends RuntimeException {

    private final String file;
    private final String pointer;

    public SnapshotException(String file, String pointer, String message) {
        super((file == null ? "" : file + ": ") + message + (pointer == null || pointer.isEmpty() ? "" : " (at " + pointer + ")"));
        this.file = file;
        this.pointer = pointer;
    }

    public String file() {
        return file;
    }

    /** The JSON pointer of the offending value. */
    public String pointer() {
        return pointer;
    }
}
