package dev.mellon.migrator.introspect;

import dev.mellon.migrator.schema.SchemaModel;

import java.util.List;

/** A live database read into the model, and the objects the model cannot hold. */
public record Introspection(SchemaModel schema, List<UnmanagedObject> unmanaged) {

    public Introspection {
        unmanaged = List.copyOf(unmanaged);
    }
}
