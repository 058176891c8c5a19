package dev.mellon.migrator.schema;

import java.util.Map;

/**
 * A whole database schema as a Drizzle v7 snapshot can express it. Maps are keyed as in the snapshot:
 * {@code "<schema>.<name>"} for tables, enums, sequences and views, the name for schemas, roles and policies.
 */
public record SchemaModel(Map<String, Table> tables, Map<String, SchemaObjects.EnumType> enums,
                          Map<String, String> schemas, Map<String, SchemaObjects.Sequence> sequences,
                          Map<String, SchemaObjects.Role> roles, Map<String, Constraints.Policy> policies,
                          Map<String, SchemaObjects.View> views) {

    public SchemaModel {
        tables = Ordered.map(tables);
        enums = Ordered.map(enums);
        schemas = Ordered.map(schemas);
        sequences = Ordered.map(sequences);
        roles = Ordered.map(roles);
        policies = Ordered.map(policies);
        views = Ordered.map(views);
    }

    public static SchemaModel empty() {
        return new SchemaModel(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
    }
}
