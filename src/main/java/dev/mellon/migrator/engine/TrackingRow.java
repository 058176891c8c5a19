package dev.mellon.migrator.engine;

/** A row of drizzle's tracking table. {@code createdAt} is the journal {@code when}, and may be NULL in the wild. */
public record TrackingRow(long id, String hash, Long createdAt) {
}
