package dev.mellon.migrator.folder;

/**
 * A {@code meta/<prefix>_snapshot.json} file, unparsed.
 *
 * @param fileName the name inside {@code meta/}
 * @param prefix   the part before {@code _snapshot.json}: the journal tag's prefix
 * @param text     the file's content
 */
public record SnapshotFile(String fileName, String prefix, String text) {
}
