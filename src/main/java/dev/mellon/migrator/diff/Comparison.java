package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Literal;

import java.util.Locale;

/**
 * How two spellings of an expression or a type are compared.
 *
 * <ul>
 *   <li>{@link #EXACT}: character for character. Right when both sides were printed by the same writer: two
 *       snapshots (what drizzle-kit generate compares), or two introspections by the same PostgreSQL (the canonical
 *       comparison through a sandbox).</li>
 *   <li>{@link #TEXTUAL}: after {@link Expressions#normalize}, the fallback when a snapshot must be compared with a
 *       live database and no sandbox can be had. It knows some of PostgreSQL's re-printing, not all of it.</li>
 * </ul>
 */
public enum Comparison {
    EXACT {
        @Override
        public boolean sameExpression(String a, String b) {
            return a == null ? b == null : b != null && a.strip().equals(b.strip());
        }

        @Override
        public boolean sameType(String a, String b) {
            return a.equals(b);
        }
    },
    TEXTUAL {
        @Override
        public boolean sameExpression(String a, String b) {
            return Expressions.same(a, b);
        }

        @Override
        public boolean sameType(String a, String b) {
            return Expressions.normalizeType(a).equals(Expressions.normalizeType(b));
        }
    };

    public abstract boolean sameExpression(String a, String b);

    public abstract boolean sameType(String a, String b);

    /** Defaults compare as SQL text; a default of SQL NULL is no default. */
    public boolean sameDefault(Literal a, Literal b) {
        return sameExpression(sql(a), sql(b));
    }

    static String sql(Literal literal) {
        return literal == null || literal.sql().strip().toLowerCase(Locale.ROOT).equals("null") ? null : literal.sql();
    }
}
