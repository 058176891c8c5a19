package dev.mellon.migrator.diff;

import java.util.Locale;

/**
 * A rename: a hint from the caller ({@code {"kind":"column","from":"public.users.handle","to":"public.users.username"}})
 * or a candidate the diff found (one object dropped and a similar one created). Names are qualified as in reports:
 * {@code schema}, {@code schema.table}, {@code schema.table.column}, {@code schema.enum}.
 */
public record Rename(Kind kind, String from, String to) {

    public enum Kind {
        SCHEMA, TABLE, COLUMN, ENUM;

        public static Kind parse(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new InvalidRenameException("Unknown rename kind \"" + text + "\"; use schema, table, column or enum");
            }
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
