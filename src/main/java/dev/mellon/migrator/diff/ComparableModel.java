package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.Index;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SchemaObjects;
import dev.mellon.migrator.schema.Table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model brought to the form in which it is compared: what older snapshots leave out filled in, and names cut as
 * PostgreSQL stores them. Two spellings of the same schema then compare equal.
 */
final class ComparableModel {

    private ComparableModel() {
    }

    /** @param other the model compared with, where an enum a column names may be defined instead */
    static SchemaModel of(SchemaModel model, SchemaModel other) {
        return truncated(resolved(model, other));
    }

    /**
     * What older drizzle-kit versions left out of a snapshot, filled in as drizzle-kit reads it: an enum column
     * without {@code typeSchema} uses the enum of that name (the public one first), and a foreign key without
     * {@code schemaTo} references the table of that name: the public one, else the only one of that name in any
     * schema (where drizzle-kit would write {@code "public"."t"} and fail, we resolve it: a deliberate departure).
     */
    private static SchemaModel resolved(SchemaModel model, SchemaModel other) {
        Map<String, Table> tables = new LinkedHashMap<>();
        boolean changed = false;
        for (Map.Entry<String, Table> e : model.tables().entrySet()) {
            Table t = e.getValue();
            Map<String, Column> columns = new LinkedHashMap<>();
            boolean columnsChanged = false;
            for (Column c : t.columns().values()) {
                String schema = c.typeSchema() == null ? enumSchema(c.type().replace("[]", ""), model, other) : null;
                if (schema != null) {
                    c = new Column(c.name(), c.type(), schema, c.primaryKey(), c.notNull(), c.defaultValue(), c.generated(),
                            c.identity(), c.isUnique(), c.uniqueName(), c.nullsNotDistinct());
                    columnsChanged = true;
                }
                columns.put(c.name(), c);
            }
            Map<String, Constraints.ForeignKey> keys = new LinkedHashMap<>();
            boolean keysChanged = false;
            for (Map.Entry<String, Constraints.ForeignKey> k : t.foreignKeys().entrySet()) {
                Constraints.ForeignKey fk = k.getValue();
                String schemaTo = fk.schemaTo() == null ? tableSchema(fk.tableTo(), model) : null;
                if (schemaTo != null && !schemaTo.equals("public")) {
                    fk = new Constraints.ForeignKey(fk.name(), fk.tableFrom(), fk.tableTo(), schemaTo, fk.columnsFrom(), fk.columnsTo(),
                            fk.onDelete(), fk.onUpdate());
                    keysChanged = true;
                }
                keys.put(k.getKey(), fk);
            }
            if (columnsChanged || keysChanged) {
                t = new Table(t.name(), t.schema(), columns, t.indexes(), keys, t.compositePrimaryKeys(), t.uniqueConstraints(),
                        t.policies(), t.checkConstraints(), t.isRLSEnabled());
                changed = true;
            }
            tables.put(e.getKey(), t);
        }
        return changed ? new SchemaModel(tables, model.enums(), model.schemas(), model.sequences(), model.roles(),
                model.policies(), model.views()) : model;
    }

    /** The schema of the enum named {@code name}: the public one, else the only one in either model; else none. */
    private static String enumSchema(String name, SchemaModel model, SchemaModel other) {
        for (SchemaModel m : List.of(model, other)) {
            if (m.enums().containsKey("public." + name)) {
                return "public";
            }
            List<String> schemas = m.enums().values().stream().filter(e -> e.name().equals(name)).map(SchemaObjects.EnumType::schema)
                    .distinct().toList();
            if (schemas.size() == 1) {
                return schemas.get(0);
            }
        }
        return null;
    }

    /** The schema of the table named {@code name}: public when it is there, else the only one; null when unknown. */
    private static String tableSchema(String name, SchemaModel model) {
        if (model.tables().containsKey("public." + name)) {
            return "public";
        }
        List<String> schemas = model.tables().values().stream().filter(t -> t.name().equals(name)).map(Table::schemaName)
                .distinct().toList();
        return schemas.size() == 1 ? schemas.get(0) : null;
    }

    /** The model with every name cut to the 63 bytes PostgreSQL keeps, so that long names compare as stored. */
    private static SchemaModel truncated(SchemaModel model) {
        Map<String, Table> tables = new LinkedHashMap<>();
        model.tables().forEach((k, t) -> {
            Map<String, Index> indexes = new LinkedHashMap<>();
            t.indexes().forEach((n, i) -> indexes.put(Identifiers.truncate(n), i));
            Map<String, Constraints.ForeignKey> fks = new LinkedHashMap<>();
            t.foreignKeys().forEach((n, fk) -> fks.put(Identifiers.truncate(n), fk));
            Map<String, Constraints.Unique> uniques = new LinkedHashMap<>();
            t.uniqueConstraints().forEach((n, u) -> uniques.put(Identifiers.truncate(n), u));
            Map<String, Constraints.Check> checks = new LinkedHashMap<>();
            t.checkConstraints().forEach((n, c) -> checks.put(Identifiers.truncate(n), c));
            Map<String, Constraints.PrimaryKey> pks = new LinkedHashMap<>();
            t.compositePrimaryKeys().forEach((n, pk) -> pks.put(Identifiers.truncate(n), pk));
            tables.put(Identifiers.truncateQualified(k), new Table(t.name(), t.schema(), t.columns(), indexes, fks, pks, uniques,
                    t.policies(), checks, t.isRLSEnabled()));
        });
        Map<String, SchemaObjects.EnumType> enums = new LinkedHashMap<>();
        model.enums().forEach((k, e) -> enums.put(Identifiers.truncateQualified(k), e));
        return new SchemaModel(tables, enums, model.schemas(), model.sequences(), model.roles(), model.policies(), model.views());
    }
}
