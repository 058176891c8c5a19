package dev.mellon.migrator.schema;

import java.util.Objects;

/**
 * A JSON scalar as drizzle-kit stores it, keeping its JavaScript type: a column default {@code 0} (number),
 * {@code true} (boolean) and {@code "'x'"} (string, SQL text) are three different things in a snapshot.
 *
 * @param text the number or boolean as JSON prints it, or the string's value
 */
public record Literal(Kind kind, String text) {

    public enum Kind { STRING, NUMBER, BOOLEAN }

    public Literal {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(text);
    }

    public static Literal string(String value) {
        return new Literal(Kind.STRING, value);
    }

    public static Literal number(String value) {
        return new Literal(Kind.NUMBER, value);
    }

    public static Literal bool(boolean value) {
        return new Literal(Kind.BOOLEAN, Boolean.toString(value));
    }

    /** The value as SQL text: numbers and booleans print as themselves, strings are already SQL. */
    public String sql() {
        return text;
    }
}
