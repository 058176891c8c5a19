package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.Table;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A schema printed by PostgreSQL without building all of it: when a model differs from one printed before in a few
 * tables, only those tables are built on their own (each from its own CREATE TABLE, never by altering the earlier
 * build), with the types, sequences and schemas of the model and the tables their foreign keys point at; every other
 * table is taken from the earlier print, which built the very same definition. A table's printed form depends only on
 * its own definition and the names it uses, so the result is what a whole build would print, at the cost of the tables
 * that changed. Views are printed against the tables they read, which a model does not name: a model with views is
 * always built whole.
 */
final class PartialPrint {

    /** Fewer tables than this changed, or at most half of them: below that, building only them pays. */
    private static final int ALWAYS_WORTH_IT = 8;

    /** What to build instead of the whole model, and which printed tables it replaces. */
    record Plan(SchemaModel part, Set<TableName> changed, Set<TableName> gone) {
    }

    /** A table by real schema and name, as both a snapshot and a print know it. */
    record TableName(String schema, String name) {
        static TableName of(Table t) {
            return new TableName(t.schemaName(), t.name());
        }
    }

    private PartialPrint() {
    }

    /**
     * The part of {@code model} to build given that {@code known} was printed before, or empty when the whole model
     * should be built (views, or too much changed).
     */
    static Optional<Plan> plan(SchemaModel model, SchemaModel known) {
        if (!model.views().isEmpty() || !known.views().isEmpty()) {
            return Optional.empty();
        }
        Map<TableName, Table> before = byName(known);
        Map<TableName, Table> after = byName(model);
        Set<TableName> changed = new HashSet<>();
        after.forEach((name, t) -> {
            if (!t.equals(before.get(name))) {
                changed.add(name);
            }
        });
        Set<TableName> gone = new HashSet<>(before.keySet());
        gone.removeAll(after.keySet());
        int moved = changed.size() + gone.size();
        if (moved == 0 || moved > Math.max(ALWAYS_WORTH_IT, after.size() / 2)) {
            return Optional.empty();
        }
        Map<String, Table> tables = new LinkedHashMap<>();
        Deque<TableName> targets = new ArrayDeque<>();
        model.tables().forEach((key, t) -> {
            if (changed.contains(TableName.of(t))) {
                tables.put(key, t);
                t.foreignKeys().values().forEach(fk -> target(fk, after).ifPresent(targets::add));
            }
        });
        // The tables foreign keys point at, as targets only: their own keys and policies would pull in more.
        Set<TableName> added = new HashSet<>(changed);
        for (TableName name : targets) {
            if (added.add(name)) {
                Table t = after.get(name);
                tables.put(name.schema() + "." + name.name(), new Table(t.name(), t.schema(), t.columns(), t.indexes(), Map.of(),
                        t.compositePrimaryKeys(), t.uniqueConstraints(), Map.of(), t.checkConstraints(), t.isRLSEnabled()));
            }
        }
        SchemaModel part = new SchemaModel(tables, model.enums(), model.schemas(), model.sequences(), model.roles(),
                model.policies(), model.views());
        return Optional.of(new Plan(part, changed, gone));
    }

    /**
     * The print of the whole model: {@code knownPrinted} without the tables that changed or went, with the changed
     * tables and every other kind of object as {@code partPrinted} has them.
     */
    static SchemaModel merge(Plan plan, SchemaModel knownPrinted, SchemaModel partPrinted) {
        Map<String, Table> tables = new LinkedHashMap<>();
        knownPrinted.tables().forEach((key, t) -> {
            TableName name = TableName.of(t);
            if (!plan.changed().contains(name) && !plan.gone().contains(name)) {
                tables.put(key, t);
            }
        });
        partPrinted.tables().forEach((key, t) -> {
            if (plan.changed().contains(TableName.of(t))) {
                tables.put(key, t);
            }
        });
        return new SchemaModel(tables, partPrinted.enums(), partPrinted.schemas(), partPrinted.sequences(),
                partPrinted.roles(), partPrinted.policies(), partPrinted.views());
    }

    private static Map<TableName, Table> byName(SchemaModel model) {
        Map<TableName, Table> out = new LinkedHashMap<>();
        model.tables().values().forEach(t -> out.put(TableName.of(t), t));
        return out;
    }

    /** The table a foreign key points at: in its schema, or (older snapshots name none) the one table of that name. */
    private static Optional<TableName> target(Constraints.ForeignKey fk, Map<TableName, Table> tables) {
        if (fk.schemaTo() != null && !fk.schemaTo().isEmpty()) {
            TableName name = new TableName(fk.schemaTo(), fk.tableTo());
            return tables.containsKey(name) ? Optional.of(name) : Optional.empty();
        }
        TableName inPublic = new TableName("public", fk.tableTo());
        if (tables.containsKey(inPublic)) {
            return Optional.of(inPublic);
        }
        return tables.keySet().stream().filter(n -> Objects.equals(n.name(), fk.tableTo())).findFirst();
    }
}
