package dev.mellon.migrator.schema;

/**
 * A table or view column as a v7 snapshot holds it.
 *
 * @param type       the SQL type as drizzle-kit prints it ({@code varchar(255)}, {@code timestamp (3) with time zone},
 *                   {@code text[]}); for an enum, its bare name
 * @param typeSchema the enum's schema, for enum columns only
 * @param primaryKey true only for a single-column inline primary key
 * @param defaultValue the default as drizzle stores it (SQL text, or a JSON number or boolean), or {@code null}
 * @param isUnique, uniqueName, nullsNotDistinct legacy column-level unique flags some snapshots still carry
 */
public record Column(String name, String type, String typeSchema, boolean primaryKey, boolean notNull,
                     Literal defaultValue, Generated generated, Identity identity, Boolean isUnique, String uniqueName,
                     Boolean nullsNotDistinct) {

    public static Column of(String name, String type, boolean notNull) {
        return new Column(name, type, null, false, notNull, null, null, null, null, null, null);
    }

    /** {@code GENERATED ALWAYS AS (expr) STORED}. */
    public record Generated(String as, String type) {
    }

    /** An identity column's sequence options; numbers are strings, as in the snapshot. */
    public record Identity(String type, String name, String schema, String increment, String startWith, String minValue,
                           String maxValue, String cache, Boolean cycle) {
    }
}
