package dev.mellon.migrator.schema;

/** PostgreSQL's spelling of names and literals in SQL text, written once for every package that builds SQL. */
public final class SqlNames {

    private SqlNames() {
    }

    /** A double-quoted identifier, embedded quotes doubled: safe for any name, whatever it holds. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."name"}. */
    public static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }

    /** A standard string literal, embedded quotes doubled (the server runs with standard_conforming_strings on). */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
