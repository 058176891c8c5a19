package dev.mellon.migrator.engine;

/** Where a journal entry stands against the tracking table. */
public enum MigrationState {
    /** A tracking row with this entry's {@code when} and hash exists. */
    APPLIED,
    /** Not applied, and after every applied entry: drizzle would run it too. */
    PENDING,
    /** A tracking row with this entry's {@code when} exists, but the file's hash is not the recorded one. */
    CHANGED,
    /**
     * Not applied, but its {@code when} is at or below the newest applied {@code created_at}: drizzle's high-water
     * mark skips it forever (the merged-branch case).
     */
    OUT_OF_ORDER
}
