package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.Table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The steps for the constraints of a table both schemas have: its primary key, foreign keys, uniques and checks. A
 * constraint that differs is dropped and added again, since PostgreSQL cannot alter one in place.
 */
final class ConstraintDiff {

    private final Comparison comparison;

    ConstraintDiff(Comparison comparison) {
        this.comparison = comparison;
    }

    /** The one primary key of a table, whether declared on its column or as a named key. */
    private record Key(Constraints.PrimaryKey key, boolean inline) {
    }

    /**
     * A one-column key is the same key whether declared on the column or named: PostgreSQL keeps the name a key was
     * created with, and drizzle snapshots use both forms. Only the key columns decide.
     */
    static void primaryKey(Change.TableRef ref, Table from, Table to, List<Change> out) {
        Key x = key(from);
        Key y = key(to);
        if (x != null && y != null && x.key().columns().equals(y.key().columns())) {
            return;
        }
        if (x != null) {
            out.add(new Change.DropPrimaryKey(ref, x.key(), x.inline()));
        }
        // A one-column key on a column this step adds is declared in that ADD COLUMN itself, as in a CREATE TABLE.
        boolean declaredWithNewColumn = y != null && y.inline() && !from.columns().containsKey(y.key().columns().get(0));
        if (y != null && !declaredWithNewColumn) {
            out.add(new Change.AddPrimaryKey(ref, y.key(), y.inline()));
        }
    }

    private static Key key(Table t) {
        if (!t.compositePrimaryKeys().isEmpty()) {
            return new Key(t.compositePrimaryKeys().values().iterator().next(), false);
        }
        List<String> columns = t.columns().values().stream().filter(Column::primaryKey).map(Column::name).toList();
        return columns.isEmpty() ? null : new Key(new Constraints.PrimaryKey(inlineKeyName(t.name()), columns), true);
    }

    private static String inlineKeyName(String table) {
        return Identifiers.truncate(table + "_pkey");
    }

    /** Foreign keys, uniques and checks, in that order. */
    void diff(Change.TableRef ref, Table from, Table to, List<Change> out) {
        Pairing.byKeyRecreating(from.foreignKeys(), to.foreignKeys(), fk -> out.add(new Change.AddForeignKey(ref, fk, false)),
                fk -> out.add(new Change.DropForeignKey(ref, fk)), ConstraintDiff::sameForeignKey);
        Pairing.byKeyRecreating(uniques(from), uniques(to), u -> out.add(new Change.AddUnique(ref, u)),
                u -> out.add(new Change.DropUnique(ref, u)),
                (x, y) -> x.nullsNotDistinct() == y.nullsNotDistinct() && x.columns().equals(y.columns()));
        Pairing.byKeyRecreating(from.checkConstraints(), to.checkConstraints(), c -> out.add(new Change.AddCheck(ref, c)),
                c -> out.add(new Change.DropCheck(ref, c)), (x, y) -> comparison.sameExpression(x.value(), y.value()));
    }

    /** Uniques, with the legacy column-level flag some old snapshots carry turned into the constraint it made. */
    private static Map<String, Constraints.Unique> uniques(Table t) {
        Map<String, Constraints.Unique> out = new LinkedHashMap<>(t.uniqueConstraints());
        for (Column c : t.columns().values()) {
            if (Boolean.TRUE.equals(c.isUnique())) {
                String name = c.uniqueName() != null ? c.uniqueName() : t.name() + "_" + c.name() + "_unique";
                out.putIfAbsent(Identifiers.truncate(name), new Constraints.Unique(Identifiers.truncate(name),
                        Boolean.TRUE.equals(c.nullsNotDistinct()), List.of(c.name())));
            }
        }
        return out;
    }

    /** An unnamed target schema is public, and an unnamed action NO ACTION: the forms compare equal. */
    private static boolean sameForeignKey(Constraints.ForeignKey x, Constraints.ForeignKey y) {
        return x.tableTo().equals(y.tableTo())
                && Objects.requireNonNullElse(x.schemaTo(), "public").equals(Objects.requireNonNullElse(y.schemaTo(), "public"))
                && x.columnsFrom().equals(y.columnsFrom()) && x.columnsTo().equals(y.columnsTo())
                && action(x.onDelete()).equals(action(y.onDelete())) && action(x.onUpdate()).equals(action(y.onUpdate()));
    }

    private static String action(String action) {
        return Objects.requireNonNullElse(action, "no action").toLowerCase(Locale.ROOT);
    }
}
