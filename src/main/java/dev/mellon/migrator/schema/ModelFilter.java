package dev.mellon.migrator.schema;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/** A model cut down to the schemas and tables that pass the filters, so both sides of a diff see the same part. */
public final class ModelFilter {

    private ModelFilter() {
    }

    public static SchemaModel apply(SchemaModel model, NameFilter schemas, NameFilter tables) {
        return new SchemaModel(
                keep(model.tables(), t -> schemas.matches(t.schemaName()) && tables.matches(t.name())),
                keep(model.enums(), e -> schemas.matches(e.schema())),
                keep(model.schemas(), schemas::matches),
                keep(model.sequences(), s -> schemas.matches(s.schema())),
                model.roles(), model.policies(),
                keep(model.views(), v -> schemas.matches(v.schema())));
    }

    private static <T> Map<String, T> keep(Map<String, T> map, Predicate<T> keep) {
        Map<String, T> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (keep.test(v)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
