package dev.mellon.migrator.folder;

/**
 * A migration's snapshot file, unparsed.
 *
 * @param fileName the name inside {@code meta/} for a journal folder; {@code snapshot.json} in a 1.0 directory
 * @param text     the file's content
 * @param path     the file relative to the migration folder ({@code meta/0003_snapshot.json},
 *                 {@code 20250102030405_name/snapshot.json})
 */
public record SnapshotFile(String fileName, String text, String path) {

    /** A file of {@code meta/}. */
    public SnapshotFile(String fileName, String text) {
        this(fileName, text, "meta/" + fileName);
    }

    /** The same file with other content (a format 9 snapshot shown in the model's format 7 print). */
    public SnapshotFile withText(String newText) {
        return new SnapshotFile(fileName, newText, path);
    }
}
