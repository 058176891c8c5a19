package dev.mellon.migrator.engine.core;

import java.util.Locale;

/** How pending migrations are grouped into transactions. */
public enum TransactionMode {
    /** One transaction for the whole batch, as drizzle-orm's migrator does: all or nothing. */
    ALL,
    /** One transaction per migration: a failure keeps the migrations before it. */
    EACH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code all} or {@code each}, in any case; anything else is an {@link IllegalArgumentException}. */
    public static TransactionMode parse(String value) {
        for (TransactionMode mode : values()) {
            if (mode.name().equalsIgnoreCase(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("Unknown transaction mode \"" + value + "\"; use \"all\" or \"each\"");
    }
}
