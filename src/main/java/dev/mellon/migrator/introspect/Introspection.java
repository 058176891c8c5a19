package dev.mellon.migrator.introspect;

import dev.mellon.migrator.schema.SchemaModel;

import java.util.List;

/** A live database read into the model, the objects the model cannot hold, and what could not be read. */
public record Introspection(SchemaModel schema, List<UnmanagedObject> unmanaged, List<String> warnings) {

    public Introspection {
        unmanaged = List.copyOf(unmanaged);
        warnings = List.copyOf(warnings);
    }
}
