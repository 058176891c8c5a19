package dev.mellon.migrator.folder;

/**
 * A {@code meta/<prefix>_snapshot.json} file, unparsed.
 *
 * @param fileName the name inside {@code meta/}
 * @param text     the file's content
 */
public record SnapshotFile(String fileName, String text) {
}
