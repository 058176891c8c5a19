package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.Index;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.Table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The steps for tables: a new one with what drizzle-kit writes after its CREATE TABLE, a dropped one, and for one
 * both schemas have, the steps of its key, columns, constraints, indexes and row-level security, in that order.
 */
final class TableDiff {

    private final ColumnDiff columns;
    private final ConstraintDiff constraints;
    private final IndexDiff indexes;
    private final PolicyDiff policies;

    TableDiff(Comparison comparison) {
        this.columns = new ColumnDiff(comparison);
        this.constraints = new ConstraintDiff(comparison);
        this.indexes = new IndexDiff(comparison);
        this.policies = new PolicyDiff(comparison);
    }

    void diff(SchemaModel source, SchemaModel target, List<Change> out, List<Rename> candidates) {
        Pairing.byKey(source.tables(), target.tables(), t -> created(t, out), t -> out.add(new Change.DropTable(t)),
                (x, y) -> altered(x, y, out, candidates));
    }

    private static void created(Table t, List<Change> out) {
        out.add(new Change.CreateTable(t));
        Change.TableRef ref = Change.TableRef.of(t);
        if (PolicyDiff.rlsEnabled(t)) {
            out.add(new Change.EnableRls(ref));
        }
        t.foreignKeys().values().forEach(fk -> out.add(new Change.AddForeignKey(ref, fk, true)));
        t.indexes().values().forEach(i -> out.add(new Change.CreateIndex(ref, i, true)));
        t.policies().values().forEach(p -> out.add(new Change.CreatePolicy(ref, p)));
    }

    private void altered(Table before, Table to, List<Change> out, List<Rename> candidates) {
        Change.TableRef ref = Change.TableRef.of(to);
        // A column whose generation changes is dropped and added again, and its keys, checks and indexes go with it:
        // compare them as if already gone, so that they are created again.
        Table from = withoutKeysOn(before, columns.readded(before, to));
        // A key declared on a column is written with that column's alterations, before them (drizzle-kit's order).
        ConstraintDiff.primaryKey(ref, from, to, out);
        columns.diff(ref, from, to, out, candidates);
        constraints.diff(ref, from, to, out);
        indexes.diff(ref, from, to, out);
        policies.diff(ref, from, to, out);
    }

    /** The table without the indexes and constraints that use any of {@code columns}. */
    private static Table withoutKeysOn(Table t, Set<String> columns) {
        if (columns.isEmpty()) {
            return t;
        }
        Predicate<String> mentions = sql -> sql != null && columns.stream().anyMatch(c -> Expressions.mentions(sql, c));
        Map<String, Index> indexes = new LinkedHashMap<>();
        t.indexes().forEach((k, i) -> {
            boolean uses = mentions.test(i.where()) || i.columns().stream().anyMatch(c -> c.isExpression()
                    ? mentions.test(c.expression()) : columns.contains(c.expression()));
            if (!uses) {
                indexes.put(k, i);
            }
        });
        Map<String, Constraints.Unique> uniques = new LinkedHashMap<>();
        t.uniqueConstraints().forEach((k, u) -> {
            if (u.columns().stream().noneMatch(columns::contains)) {
                uniques.put(k, u);
            }
        });
        Map<String, Constraints.Check> checks = new LinkedHashMap<>();
        t.checkConstraints().forEach((k, c) -> {
            if (!mentions.test(c.value())) {
                checks.put(k, c);
            }
        });
        Map<String, Constraints.ForeignKey> fks = new LinkedHashMap<>();
        t.foreignKeys().forEach((k, fk) -> {
            if (fk.columnsFrom().stream().noneMatch(columns::contains)) {
                fks.put(k, fk);
            }
        });
        return new Table(t.name(), t.schema(), t.columns(), indexes, fks, t.compositePrimaryKeys(), uniques, t.policies(), checks,
                t.isRLSEnabled());
    }
}
