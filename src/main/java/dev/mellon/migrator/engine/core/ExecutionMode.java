package dev.mellon.migrator.engine.core;

import java.util.Locale;

/** How a migration runs; every apply reply says which mode each migration ran in. */
public enum ExecutionMode {
    /** In the batch's (or its own, in mode each) transaction, with its tracking row: drizzle's way. */
    TRANSACTION,
    /**
     * Outside any transaction, one top-level statement at a time, because it holds a statement PostgreSQL refuses in a
     * transaction block (or uses an enum value it adds). Its progress is recorded, so a failed or killed run resumes.
     */
    NO_TRANSACTION,
    /** In autocommit, chunk by chunk as written, because the file runs its own BEGIN/COMMIT. Progress is recorded too. */
    SELF_MANAGED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
