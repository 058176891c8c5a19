package dev.mellon.migrator.diff;

/**
 * A risk of one step, for a person deciding whether to run it: a stable code to branch on and a sentence naming the
 * object.
 */
public record Hazard(Code code, String object, String message) {

    public enum Code {
        /** Rows or values are gone after the step. */
        DELETES_DATA,
        /** PostgreSQL rewrites the whole table (and its indexes) while holding an ACCESS EXCLUSIVE lock. */
        REWRITES_TABLE,
        /** Reads and writes of the table wait until the step commits. */
        ACCESS_EXCLUSIVE_LOCK,
        /** Writes to the table wait while the index is built. */
        BLOCKS_WRITES_WHILE_INDEXING,
        /** The step fails if existing rows break the new rule (NOT NULL, unique, check, foreign key, cast). */
        MAY_FAIL_ON_EXISTING_ROWS,
        /** Objects that depend on the dropped one (views, foreign keys, defaults) are dropped or broken with it. */
        DROPS_DEPENDENCY,
        /** Access rules change: who may read or write which rows. */
        CHANGES_ACCESS,
        /** The step runs outside a transaction: a failure can leave it half done (e.g. an INVALID index). */
        NOT_TRANSACTIONAL;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Data-loss hazards are the ones push refuses without {@code acceptDataLoss}. */
    public boolean losesData() {
        return code == Code.DELETES_DATA;
    }
}
