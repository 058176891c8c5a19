package dev.mellon.migrator.engine.history;

/**
 * Where a journal entry stands against the tracking table. Rows are assigned to entries by {@code created_at} (the
 * journal {@code when}) first and by hash second; a state other than {@link #PENDING} or {@link #OUT_OF_ORDER} is only
 * given when that assignment is unique.
 */
public enum MigrationState {
    /**
     * A tracking row with this entry's {@code when} and hash exists and no other entry can claim it (or an edit of the
     * file was accepted earlier with {@code allowChanged}).
     */
    APPLIED,
    /** Not applied, and after every applied entry: drizzle would run it too. */
    PENDING,
    /**
     * Exactly one unmatched entry and exactly one unclaimed row share this {@code when}, and their hashes differ: the
     * file was edited after it was applied.
     */
    CHANGED,
    /**
     * Not applied, but its {@code when} is at or below the newest applied {@code created_at}: drizzle's high-water
     * mark skips it forever (the merged-branch case).
     */
    OUT_OF_ORDER,
    /**
     * No row at this entry's {@code when}, but an unclaimed row with its hash under another {@code created_at}: the
     * journal's {@code when} was edited after it was applied, or the same SQL was applied before under another entry
     * (reverted, then added again). drizzle runs it again when its {@code when} is above the high-water mark, so it is
     * neither applied nor simply pending. The status carries that row, to name the recorded {@code created_at}.
     */
    MOVED,
    /**
     * Rows cannot be assigned to entries uniquely by {@code when}: two unmatched entries share a {@code when} with a
     * row that matches neither hash, one entry has several unmatched rows at its {@code when}, or entries with an
     * identical ({@code when}, hash) outnumber their rows. Whether it ran cannot be told; the status carries every row
     * it might own. Apply refuses until a person settles it.
     */
    AMBIGUOUS,
    /**
     * A run started it outside a transaction (a statement PostgreSQL refuses in one, or its own BEGIN/COMMIT) and
     * never wrote its tracking row: it died or failed part-way, or after its last statement. Some of its statements
     * are done. Apply refuses until the caller asks to {@code resume} from the statement after the last one done.
     */
    INTERRUPTED
}
