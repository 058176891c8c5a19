package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.SchemaModel;

import java.util.List;

/**
 * Drift between an expected schema (what the history says) and an actual one, compared textually: each difference
 * named once (a missing table is one difference, not one per column). The service compares through PostgreSQL
 * instead ({@code engine.SchemaComparer}); this is the fallback and what tests of the model use.
 */
public final class SchemaDiff {

    private SchemaDiff() {
    }

    public static List<Difference> compare(SchemaModel expected, SchemaModel actual) {
        // The steps that would turn actual into expected, told as differences.
        return DriftReport.of(new Differ(new Differ.Options(Comparison.TEXTUAL, List.of(), false)).diff(actual, expected).changes());
    }
}
