package dev.mellon.migrator.folder;

/**
 * The folder cannot be used as it is. {@link #file()} names the file relative to the folder and {@link #field()} the
 * JSON pointer or property inside it, when there is one, so the caller can be told exactly where to look.
 */
public final class FolderException extends RuntimeException {

    /** A stable kind, used by the HTTP layer to choose the problem type. */
    public enum Kind { JOURNAL_MISSING, JOURNAL_INVALID, FILE_MISSING, FILE_INVALID, TAG_INVALID, FOLDER_MISSING }

    private final Kind kind;
    private final String file;
    private final String field;
    private String folderPath;

    public FolderException(Kind kind, String file, String field, String message) {
        super(message);
        this.kind = kind;
        this.file = file;
        this.field = field;
    }

    public FolderException(Kind kind, String file, String field, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.file = file;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    /** The file, relative to the migration folder; {@code null} when the folder itself is the problem. */
    public String file() {
        return file;
    }

    /** Records the folder's absolute path, for operators (the log, admins); messages never name it. */
    public FolderException at(java.nio.file.Path folder) {
        this.folderPath = folder.toAbsolutePath().normalize().toString();
        return this;
    }

    /** The folder's absolute path where it is the problem, else {@code null}. */
    public String folderPath() {
        return folderPath;
    }

    /** The JSON pointer or field inside {@link #file()}, or {@code null}. */
    public String field() {
        return field;
    }
}
