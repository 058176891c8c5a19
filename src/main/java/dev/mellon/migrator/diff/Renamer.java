package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SchemaObjects;
import dev.mellon.migrator.schema.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies rename hints to the schema being changed, so that the diff then sees the renamed objects as the same ones,
 * and says which rename statements that takes. A hint that names an object the schemas do not have is refused: a
 * silent no-op would turn the caller's rename into a drop and a create.
 */
final class Renamer {

    record Renamed(SchemaModel model, List<Change> changes) {
    }

    private Renamer() {
    }

    static Renamed apply(SchemaModel from, SchemaModel to, List<Rename> hints) {
        SchemaModel model = from;
        List<Change> changes = new ArrayList<>();
        // Schemas first, then enums and tables, then columns: each later hint is named in the renamed terms.
        for (Rename.Kind kind : List.of(Rename.Kind.SCHEMA, Rename.Kind.ENUM, Rename.Kind.TABLE, Rename.Kind.COLUMN)) {
            for (Rename hint : hints) {
                if (hint.kind() == kind) {
                    model = switch (kind) {
                        case SCHEMA -> schema(model, to, hint, changes);
                        case ENUM -> enumType(model, to, hint, changes);
                        case TABLE -> table(model, to, hint, changes);
                        case COLUMN -> column(model, to, hint, changes);
                    };
                }
            }
        }
        return new Renamed(model, changes);
    }

    private static SchemaModel schema(SchemaModel model, SchemaModel to, Rename hint, List<Change> changes) {
        String a = hint.from();
        String b = hint.to();
        require(model.schemas().containsKey(a), hint, "the schema \"" + a + "\" does not exist in the current schema");
        require(!model.schemas().containsKey(b) && to.schemas().containsKey(b), hint,
                "the schema \"" + b + "\" must exist in the desired schema only");
        changes.add(new Change.RenameSchema(a, b));
        Map<String, String> schemas = new LinkedHashMap<>(model.schemas());
        schemas.remove(a);
        schemas.put(b, b);
        Map<String, Table> tables = new LinkedHashMap<>();
        model.tables().values().forEach(t -> {
            Table moved = t.schemaName().equals(a) ? withName(t, b, t.name()) : t;
            tables.put(moved.schemaName() + "." + moved.name(), retarget(moved, a, t.name(), b, t.name(), a, b));
        });
        Map<String, SchemaObjects.EnumType> enums = new LinkedHashMap<>();
        model.enums().values().forEach(e -> {
            SchemaObjects.EnumType moved = e.schema().equals(a) ? new SchemaObjects.EnumType(e.name(), b, e.values()) : e;
            enums.put(moved.key(), moved);
        });
        Map<String, SchemaObjects.Sequence> sequences = new LinkedHashMap<>();
        model.sequences().values().forEach(s -> {
            SchemaObjects.Sequence moved = s.schema().equals(a) ? new SchemaObjects.Sequence(s.name(), b, s.increment(),
                    s.startWith(), s.minValue(), s.maxValue(), s.cache(), s.cycle()) : s;
            sequences.put(moved.key(), moved);
        });
        Map<String, SchemaObjects.View> views = new LinkedHashMap<>();
        model.views().values().forEach(v -> {
            SchemaObjects.View moved = v.schema().equals(a) ? new SchemaObjects.View(v.columns(), v.definition(), v.name(), b,
                    v.isExisting(), v.with(), v.materialized(), v.withNoData(), v.using(), v.tablespace()) : v;
            views.put(moved.schema() + "." + moved.name(), moved);
        });
        return new SchemaModel(tables, enums, schemas, sequences, model.roles(), model.policies(), views);
    }

    private static SchemaModel enumType(SchemaModel model, SchemaModel to, Rename hint, List<Change> changes) {
        SchemaObjects.EnumType type = model.enums().get(hint.from());
        require(type != null, hint, "the enum \"" + hint.from() + "\" does not exist in the current schema");
        require(!model.enums().containsKey(hint.to()) && to.enums().containsKey(hint.to()), hint,
                "the enum \"" + hint.to() + "\" must exist in the desired schema only");
        String newName = to.enums().get(hint.to()).name();
        require(to.enums().get(hint.to()).schema().equals(type.schema()), hint, "an enum keeps its schema when renamed");
        changes.add(new Change.RenameEnum(type, newName));
        Map<String, SchemaObjects.EnumType> enums = new LinkedHashMap<>();
        model.enums().forEach((k, e) -> {
            SchemaObjects.EnumType renamed = e == type ? new SchemaObjects.EnumType(newName, e.schema(), e.values()) : e;
            enums.put(renamed.key(), renamed);
        });
        Map<String, Table> tables = new LinkedHashMap<>();
        model.tables().forEach((k, t) -> {
            Map<String, Column> columns = new LinkedHashMap<>();
            t.columns().forEach((name, c) -> {
                boolean uses = type.schema().equals(c.typeSchema()) && c.type().replace("[]", "").equals(type.name());
                columns.put(name, uses ? new Column(c.name(), newName + c.type().substring(type.name().length()), c.typeSchema(),
                        c.primaryKey(), c.notNull(), c.defaultValue(), c.generated(), c.identity(), c.isUnique(), c.uniqueName(),
                        c.nullsNotDistinct()) : c);
            });
            tables.put(k, withColumns(t, columns));
        });
        return new SchemaModel(tables, enums, model.schemas(), model.sequences(), model.roles(), model.policies(), model.views());
    }

    private static SchemaModel table(SchemaModel model, SchemaModel to, Rename hint, List<Change> changes) {
        Table table = model.tables().get(hint.from());
        require(table != null, hint, "the table \"" + hint.from() + "\" does not exist in the current schema");
        Table target = to.tables().get(hint.to());
        require(!model.tables().containsKey(hint.to()) && target != null, hint,
                "the table \"" + hint.to() + "\" must exist in the desired schema only");
        require(target.schemaName().equals(table.schemaName()), hint,
                "moving a table to another schema is not supported by rename hints; rename the schema or drop and create");
        changes.add(new Change.RenameTable(Change.TableRef.of(table), target.name()));
        Map<String, Table> tables = new LinkedHashMap<>();
        model.tables().forEach((k, t) -> {
            Table renamed = t == table ? withName(t, t.schemaName(), target.name()) : t;
            tables.put(renamed.schemaName() + "." + renamed.name(),
                    retarget(renamed, table.schemaName(), table.name(), table.schemaName(), target.name(), null, null));
        });
        return new SchemaModel(tables, model.enums(), model.schemas(), model.sequences(), model.roles(), model.policies(),
                model.views());
    }

    private static SchemaModel column(SchemaModel model, SchemaModel to, Rename hint, List<Change> changes) {
        int dot = hint.from().lastIndexOf('.');
        int toDot = hint.to().lastIndexOf('.');
        require(dot > 0 && toDot > 0, hint, "columns are named schema.table.column");
        String tableKey = hint.from().substring(0, dot);
        String from = hint.from().substring(dot + 1);
        String newName = hint.to().substring(toDot + 1);
        require(hint.to().substring(0, toDot).equals(tableKey), hint, "a column keeps its table when renamed");
        Table table = model.tables().get(tableKey);
        require(table != null && table.columns().containsKey(from), hint,
                "the column \"" + hint.from() + "\" does not exist in the current schema");
        Table target = to.tables().get(tableKey);
        require(!table.columns().containsKey(newName) && target != null && target.columns().containsKey(newName), hint,
                "the column \"" + hint.to() + "\" must exist in the desired schema only");
        changes.add(new Change.RenameColumn(Change.TableRef.of(table), from, newName));
        Map<String, Table> tables = new LinkedHashMap<>();
        model.tables().forEach((k, t) -> tables.put(k, renameColumnEverywhere(t, t == table, table, from, newName)));
        return new SchemaModel(tables, model.enums(), model.schemas(), model.sequences(), model.roles(), model.policies(),
                model.views());
    }

    /** Renames the column in its table's own columns and keys, and in foreign keys of any table that point at it. */
    private static Table renameColumnEverywhere(Table t, boolean owner, Table table, String from, String to) {
        Map<String, Column> columns = new LinkedHashMap<>();
        t.columns().forEach((name, c) -> {
            if (owner && name.equals(from)) {
                columns.put(to, new Column(to, c.type(), c.typeSchema(), c.primaryKey(), c.notNull(), c.defaultValue(),
                        c.generated(), c.identity(), c.isUnique(), c.uniqueName(), c.nullsNotDistinct()));
            } else {
                columns.put(name, c);
            }
        });
        Map<String, Constraints.ForeignKey> fks = new LinkedHashMap<>();
        t.foreignKeys().forEach((k, fk) -> {
            List<String> columnsFrom = owner ? swap(fk.columnsFrom(), from, to) : fk.columnsFrom();
            boolean pointsHere = fk.tableTo().equals(table.name())
                    && (fk.schemaTo() == null ? "public" : fk.schemaTo()).equals(table.schemaName());
            List<String> columnsTo = pointsHere ? swap(fk.columnsTo(), from, to) : fk.columnsTo();
            fks.put(k, new Constraints.ForeignKey(fk.name(), fk.tableFrom(), fk.tableTo(), fk.schemaTo(), columnsFrom, columnsTo,
                    fk.onDelete(), fk.onUpdate()));
        });
        if (!owner) {
            return new Table(t.name(), t.schema(), t.columns(), t.indexes(), fks, t.compositePrimaryKeys(),
                    t.uniqueConstraints(), t.policies(), t.checkConstraints(), t.isRLSEnabled());
        }
        Map<String, Constraints.PrimaryKey> pks = new LinkedHashMap<>();
        t.compositePrimaryKeys().forEach((k, pk) -> pks.put(k, new Constraints.PrimaryKey(pk.name(), swap(pk.columns(), from, to))));
        Map<String, Constraints.Unique> uniques = new LinkedHashMap<>();
        t.uniqueConstraints().forEach((k, u) -> uniques.put(k, new Constraints.Unique(u.name(), u.nullsNotDistinct(),
                swap(u.columns(), from, to))));
        Map<String, dev.mellon.migrator.schema.Index> indexes = new LinkedHashMap<>();
        t.indexes().forEach((k, i) -> indexes.put(k, new dev.mellon.migrator.schema.Index(i.name(), i.columns().stream()
                .map(c -> !c.isExpression() && c.expression().equals(from)
                        ? new dev.mellon.migrator.schema.Index.IndexColumn(to, false, c.asc(), c.nulls(), c.opclass()) : c)
                .toList(), i.isUnique(), i.where(), i.concurrently(), i.method(), i.with())));
        return new Table(t.name(), t.schema(), columns, indexes, fks, pks, uniques, t.policies(), t.checkConstraints(),
                t.isRLSEnabled());
    }

    /** Foreign keys that point at a renamed or moved table follow it. */
    private static Table retarget(Table t, String oldSchema, String oldName, String newSchema, String newName,
                                  String schemaFrom, String schemaTo) {
        Map<String, Constraints.ForeignKey> fks = new LinkedHashMap<>();
        t.foreignKeys().forEach((k, fk) -> {
            String targetSchema = fk.schemaTo() == null ? "public" : fk.schemaTo();
            String tableTo = fk.tableTo();
            if (schemaFrom != null && targetSchema.equals(schemaFrom)) {
                targetSchema = schemaTo;
            } else if (targetSchema.equals(oldSchema) && tableTo.equals(oldName)) {
                targetSchema = newSchema;
                tableTo = newName;
            }
            fks.put(k, new Constraints.ForeignKey(fk.name(), t.name(), tableTo, targetSchema.equals("public") ? null : targetSchema,
                    fk.columnsFrom(), fk.columnsTo(), fk.onDelete(), fk.onUpdate()));
        });
        Map<String, Column> columns = t.columns();
        if (schemaFrom != null) {
            columns = new LinkedHashMap<>();
            for (Column c : t.columns().values()) {
                columns.put(c.name(), schemaFrom.equals(c.typeSchema()) ? new Column(c.name(), c.type(), schemaTo, c.primaryKey(),
                        c.notNull(), c.defaultValue(), c.generated(), c.identity(), c.isUnique(), c.uniqueName(),
                        c.nullsNotDistinct()) : c);
            }
        }
        return new Table(t.name(), t.schema(), columns, t.indexes(), fks, t.compositePrimaryKeys(), t.uniqueConstraints(),
                t.policies(), t.checkConstraints(), t.isRLSEnabled());
    }

    private static Table withName(Table t, String schema, String name) {
        return new Table(name, schema.equals("public") ? "" : schema, t.columns(), t.indexes(), t.foreignKeys(),
                t.compositePrimaryKeys(), t.uniqueConstraints(), t.policies(), t.checkConstraints(), t.isRLSEnabled());
    }

    private static Table withColumns(Table t, Map<String, Column> columns) {
        return new Table(t.name(), t.schema(), columns, t.indexes(), t.foreignKeys(), t.compositePrimaryKeys(),
                t.uniqueConstraints(), t.policies(), t.checkConstraints(), t.isRLSEnabled());
    }

    private static List<String> swap(List<String> names, String from, String to) {
        return names.stream().map(n -> n.equals(from) ? to : n).toList();
    }

    private static void require(boolean condition, Rename hint, String reason) {
        if (!condition) {
            throw new InvalidRenameException("The " + hint.kind().label() + " rename \"" + hint.from() + "\" -> \""
                    + hint.to() + "\" does not fit: " + reason);
        }
    }
}
