package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.SchemaModel;

import java.util.List;

/**
 * Drift between an expected schema (what the history says) and an actual one (usually the live database), each
 * difference named once: a missing table is one difference, not one per column.
 */
public final class SchemaDiff {

    private SchemaDiff() {
    }

    /** The steps that would turn {@code actual} into {@code expected}: the repair plan of drift. */
    public static DiffResult repair(SchemaModel expected, SchemaModel actual, Comparison comparison) {
        return new Differ(new Differ.Options(comparison, List.of(), false)).diff(actual, expected);
    }

    public static List<Difference> compare(SchemaModel expected, SchemaModel actual, Comparison comparison) {
        return DriftReport.of(repair(expected, actual, comparison).changes());
    }

    /** Drift compared textually: the fallback when no shadow database is at hand. */
    public static List<Difference> compare(SchemaModel expected, SchemaModel actual) {
        return compare(expected, actual, Comparison.TEXTUAL);
    }
}
