package dev.mellon.migrator.schema;

import java.util.Map;

/** A table; {@code schema} is empty for {@code public}, as drizzle-kit writes it. */
public record Table(String name, String schema, Map<String, Column> columns, Map<String, Index> indexes,
                   Map<String, Constraints.ForeignKey> foreignKeys, Map<String, Constraints.PrimaryKey> compositePrimaryKeys,
                   Map<String, Constraints.Unique> uniqueConstraints, Map<String, Constraints.Policy> policies,
                   Map<String, Constraints.Check> checkConstraints, boolean isRLSEnabled) {

    public Table {
        columns = Ordered.map(columns);
        indexes = Ordered.map(indexes);
        foreignKeys = Ordered.map(foreignKeys);
        compositePrimaryKeys = Ordered.map(compositePrimaryKeys);
        uniqueConstraints = Ordered.map(uniqueConstraints);
        policies = Ordered.map(policies);
        checkConstraints = Ordered.map(checkConstraints);
    }

    /** The schema's real name: {@code public} where the snapshot says {@code ""}. */
    public String schemaName() {
        return schema == null || schema.isEmpty() ? "public" : schema;
    }
}
