package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.Table;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Computes the typed steps that turn one schema into another. Objects are matched by qualified name (after rename
 * hints); anything that differs and that PostgreSQL cannot alter in place (an index, a check, a foreign key, a view)
 * is dropped and created again, as drizzle-kit does. The order of the result is not the execution order: that is
 * the SQL writer's business. Each family of objects has its own class ({@code EnumDiff}, {@code SequenceDiff},
 * {@code TableDiff}, {@code ViewDiff}); this one runs them in drizzle-kit's order and finishes the plan as a whole.
 */
public final class Differ {

    /**
     * @param comparison how expressions and types are compared
     * @param roles      whether roles are compared (introspection does not read them, so drift leaves them out)
     */
    public record Options(Comparison comparison, List<Rename> renames, boolean roles) {
        public Options {
            renames = renames == null ? List.of() : List.copyOf(renames);
        }

        public static Options exact() {
            return new Options(Comparison.EXACT, List.of(), true);
        }
    }

    private final Options options;
    private final TableDiff tables;
    private final ViewDiff views;

    public Differ(Options options) {
        this.options = options;
        this.tables = new TableDiff(options.comparison());
        this.views = new ViewDiff(options.comparison());
    }

    public DiffResult diff(SchemaModel from, SchemaModel to) {
        SchemaModel b = ComparableModel.of(to, from);
        Renamer.Renamed renamed = Renamer.apply(ComparableModel.of(from, to), b, options.renames());
        SchemaModel a = renamed.model();
        List<Change> out = new ArrayList<>(renamed.changes());
        List<Rename> candidates = new ArrayList<>();

        Pairing.byKey(a.schemas(), b.schemas(), s -> out.add(new Change.CreateSchema(s)), s -> out.add(new Change.DropSchema(s)),
                (x, y) -> { });
        EnumDiff.diff(a, b, out);
        SequenceDiff.diff(a, b, out);
        if (options.roles()) {
            Pairing.byKey(a.roles(), b.roles(), r -> out.add(new Change.CreateRole(r)), r -> out.add(new Change.DropRole(r)),
                    (x, y) -> {
                        if (!x.equals(y)) {
                            out.add(new Change.AlterRole(x, y));
                        }
                    });
        }
        tables.diff(a, b, out, candidates);
        // After the tables: a view that reads a column they retype or drop is recreated.
        views.diff(a, b, out);
        tableRenameCandidates(out, candidates);
        return new DiffResult(withoutCascadedDrops(out), candidates);
    }

    /**
     * Whether drizzle-kit counts the table's row-level security as enabled: the rule belongs to the policy steps, the
     * SQL writer asks it here.
     */
    public static boolean rls(Table t) {
        return PolicyDiff.rlsEnabled(t);
    }

    /** {@code DROP TABLE … CASCADE} already drops the foreign keys of other tables that point at it. */
    private static List<Change> withoutCascadedDrops(List<Change> changes) {
        Set<String> dropped = new HashSet<>();
        for (Change c : changes) {
            if (c instanceof Change.DropTable t) {
                dropped.add(Change.TableRef.of(t.table()).key());
            }
        }
        if (dropped.isEmpty()) {
            return changes;
        }
        List<Change> out = new ArrayList<>();
        for (Change c : changes) {
            if (c instanceof Change.DropForeignKey fk
                    && dropped.contains(Objects.requireNonNullElse(fk.key().schemaTo(), "public") + "." + fk.key().tableTo())) {
                continue;
            }
            out.add(c);
        }
        return out;
    }

    /** A table dropped and one created in the same schema may be one table renamed: the caller decides. */
    private static void tableRenameCandidates(List<Change> changes, List<Rename> candidates) {
        List<Table> created = new ArrayList<>();
        List<Table> dropped = new ArrayList<>();
        for (Change c : changes) {
            if (c instanceof Change.CreateTable t) {
                created.add(t.table());
            } else if (c instanceof Change.DropTable t) {
                dropped.add(t.table());
            }
        }
        for (Table c : created) {
            for (Table d : dropped) {
                if (c.schemaName().equals(d.schemaName())) {
                    candidates.add(0, new Rename(Rename.Kind.TABLE, Change.TableRef.of(d).key(), Change.TableRef.of(c).key()));
                }
            }
        }
    }
}
