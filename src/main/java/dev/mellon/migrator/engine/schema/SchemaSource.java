package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.introspect.UnmanagedObject;
import dev.mellon.migrator.schema.SchemaModel;

import java.util.List;

/**
 * A schema to compare, with where it came from: a snapshot (written by drizzle-kit or by us) or PostgreSQL (a live
 * database, or DDL run in a sandbox). The origin decides how the comparison is made exact.
 *
 * @param label        {@code database}, {@code migrations@0003_x}, {@code snapshot}, {@code sql}
 * @param snapshotFile the history's snapshot file used, if any
 */
public record SchemaSource(String label, SchemaModel model, Origin origin, String snapshotFile,
                           List<UnmanagedObject> unmanaged, List<String> warnings) {

    public enum Origin { SNAPSHOT, POSTGRES }

    public SchemaSource {
        unmanaged = unmanaged == null ? List.of() : List.copyOf(unmanaged);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public static SchemaSource snapshot(String label, SchemaModel model) {
        return new SchemaSource(label, model, Origin.SNAPSHOT, null, List.of(), List.of());
    }

    public static SchemaSource postgres(String label, SchemaModel model) {
        return new SchemaSource(label, model, Origin.POSTGRES, null, List.of(), List.of());
    }

    public SchemaSource withModel(SchemaModel other) {
        return new SchemaSource(label, other, origin, snapshotFile, unmanaged, warnings);
    }
}
