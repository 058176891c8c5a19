package dev.mellon.migrator.engine.history;

/**
 * A row of drizzle's tracking table. {@code createdAt} is the journal {@code when} (or a 1.0 directory's time), and
 * may be NULL in the wild; {@code name} is drizzle-orm 1.0's column, {@code null} on a 0.x table or a row 0.x wrote.
 */
public record TrackingRow(long id, String hash, Long createdAt, String name) {

    /** A row of a 0.x table, which has no name. */
    public TrackingRow(long id, String hash, Long createdAt) {
        this(id, hash, createdAt, null);
    }
}
