package dev.mellon.migrator.engine.check;

/**
 * One finding of a folder check.
 *
 * @param severity {@code error} (drizzle-kit check fails or a tool breaks), {@code warning} (works, but will hurt), or
 *                 {@code info}
 * @param code     a stable name, e.g. {@code snapshot-collision}
 * @param file     the file concerned, relative to the folder, or {@code null}
 */
public record CheckFinding(String severity, String code, String file, String message) {
}
