package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.Table;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The steps for the columns of a table both schemas have: added, dropped, or altered attribute by attribute. */
final class ColumnDiff {

    private final Comparison comparison;

    ColumnDiff(Comparison comparison) {
        this.comparison = comparison;
    }

    /** A column's type as compared and reported: qualified by its schema when it is a user type. */
    static String qualifiedType(Column c) {
        return c.typeSchema() == null ? c.type() : c.typeSchema() + "." + c.type();
    }

    /** Also offers each added column of the dropped ones' type as a possible rename: the caller decides. */
    void diff(Change.TableRef ref, Table from, Table to, List<Change> out, List<Rename> candidates) {
        Set<String> added = new HashSet<>();
        Set<String> dropped = new HashSet<>();
        Pairing.byKey(from.columns(), to.columns(), c -> {
            out.add(new Change.AddColumn(ref, c));
            added.add(c.name());
        }, c -> {
            out.add(new Change.DropColumn(ref, c));
            dropped.add(c.name());
        }, (x, y) -> altered(ref, x, y, out));
        for (String a : to.columns().keySet()) {
            for (String d : from.columns().keySet()) {
                if (added.contains(a) && dropped.contains(d) && comparison.sameType(qualifiedType(from.columns().get(d)),
                        qualifiedType(to.columns().get(a)))) {
                    candidates.add(new Rename(Rename.Kind.COLUMN, ref.key() + "." + d, ref.key() + "." + a));
                }
            }
        }
    }

    /** Columns that the plan drops and adds again: those given a new generation expression. */
    Set<String> readded(Table from, Table to) {
        Set<String> out = new HashSet<>();
        for (Column c : to.columns().values()) {
            Column old = from.columns().get(c.name());
            if (old != null && c.generated() != null && !comparison.sameExpression(generation(old), generation(c))) {
                out.add(c.name());
            }
        }
        return out;
    }

    private void altered(Change.TableRef ref, Column from, Column to, List<Change> out) {
        if (!comparison.sameType(qualifiedType(from), qualifiedType(to))) {
            out.add(new Change.AlterColumnType(ref, from, to));
        }
        if (!comparison.sameDefault(from.defaultValue(), to.defaultValue())) {
            out.add(new Change.AlterColumnDefault(ref, from, to));
        }
        if (from.notNull() != to.notNull()) {
            out.add(new Change.AlterColumnNotNull(ref, from, to));
        }
        if (!sameIdentity(from.identity(), to.identity())) {
            out.add(new Change.AlterColumnIdentity(ref, from, to));
        }
        if (!comparison.sameExpression(generation(from), generation(to))) {
            out.add(new Change.AlterColumnGenerated(ref, from, to));
        }
    }

    /** The generation expression of a generated column; null for a plain one. */
    private static String generation(Column c) {
        return c.generated() == null ? null : c.generated().as();
    }

    private static boolean sameIdentity(Column.Identity x, Column.Identity y) {
        if (x == null || y == null) {
            return x == y;
        }
        return Objects.equals(x.type(), y.type()) && Objects.equals(x.increment(), y.increment())
                && Objects.equals(x.startWith(), y.startWith()) && Objects.equals(x.minValue(), y.minValue())
                && Objects.equals(x.maxValue(), y.maxValue()) && Objects.equals(x.cache(), y.cache())
                && Boolean.TRUE.equals(x.cycle()) == Boolean.TRUE.equals(y.cycle());
    }
}
