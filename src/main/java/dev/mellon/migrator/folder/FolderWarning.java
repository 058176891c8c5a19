package dev.mellon.migrator.folder;

/**
 * Something in the folder that drizzle tolerates but a person should know about.
 *
 * @param code    a stable, machine-readable name such as {@code orphan-sql-file}
 * @param file    the file concerned, relative to the folder, or {@code null}
 * @param message what was found, in a sentence
 */
public record FolderWarning(String code, String file, String message) {
}
