package dev.mellon.migrator.ddl;

import dev.mellon.migrator.diff.Change;
import dev.mellon.migrator.schema.Constraints;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order drizzle-kit writes a plan's steps in: groups in a fixed order, and within a group what the
 * whole plan says about each step. A primary key over a column the plan adds waits for that column; foreign keys go
 * table by table, dropped or added ones before the ones re-created with the same name; indexes go dropped or added
 * ones of every table first, then re-created ones. Where drizzle-kit disables row-level security of a table it drops
 * (a table without it, when the plan alters any other table), the same statement is written, so files stay identical.
 */
final class StatementOrder {

    private final Set<String> addedColumns = new HashSet<>();
    private final Set<String> droppedForeignKeys = new HashSet<>();
    private final Set<String> addedForeignKeys = new HashSet<>();
    private final Set<String> droppedIndexes = new HashSet<>();
    private final Set<String> createdIndexes = new HashSet<>();
    private final Map<String, Integer> tablePosition = new HashMap<>();
    /** Named composite keys dropped and added again with other columns (none of the old ones dropped): table + name. */
    private final Set<String> remadeKeys = new HashSet<>();
    private final List<Change> ordered;

    private StatementOrder(List<Change> changes) {
        for (Change c : changes) {
            if (c instanceof Change.AddColumn a) {
                addedColumns.add(a.table().key() + "\u0000" + a.column().name());
            } else if (c instanceof Change.DropForeignKey fk) {
                droppedForeignKeys.add(fk.table().key() + "\u0000" + fk.key().name());
            } else if (c instanceof Change.AddForeignKey fk) {
                addedForeignKeys.add(fk.table().key() + "\u0000" + fk.key().name());
            } else if (c instanceof Change.DropIndex i) {
                droppedIndexes.add(i.table().key() + "\u0000" + i.index().name());
            } else if (c instanceof Change.CreateIndex i) {
                createdIndexes.add(i.table().key() + "\u0000" + i.index().name());
            }
            String table = tableOf(c);
            if (table != null) {
                tablePosition.putIfAbsent(table, tablePosition.size());
            }
        }
        Set<String> droppedColumns = new HashSet<>();
        Set<String> droppedKeys = new HashSet<>();
        for (Change c : changes) {
            if (c instanceof Change.DropColumn d) {
                droppedColumns.add(d.table().key() + "\u0000" + d.column().name());
            } else if (c instanceof Change.DropPrimaryKey k && !k.inline()
                    && k.key().columns().stream().noneMatch(col -> droppedColumns.contains(k.table().key() + "\u0000" + col))) {
                droppedKeys.add(k.table().key() + "\u0000" + k.key().name());
            }
        }
        for (Change c : changes) {
            if (c instanceof Change.AddPrimaryKey k && !k.inline() && droppedKeys.contains(k.table().key() + "\u0000" + k.key().name())) {
                remadeKeys.add(k.table().key() + "\u0000" + k.key().name());
            }
        }
        ordered = new ArrayList<>(changes);
        // A stable sort: within a group, objects keep the order of the diff, which is the snapshot's order.
        ordered.sort(Comparator.comparingInt(this::group).thenComparingInt(this::table).thenComparingInt(this::step));
    }

    /** The plan's steps, with drizzle-kit's statements for dropped tables added, ready to be put in file order. */
    static StatementOrder of(List<Change> changes) {
        return new StatementOrder(withDroppedTablesDisabled(changes));
    }

    /** The steps in file order. */
    List<Change> changes() {
        return KeyDependencies.order(ordered);
    }

    /**
     * A named composite key that the plan drops and adds again with other columns: drizzle-kit writes the pair last
     * among the table steps, after columns are added (so a new column can be in it), drop and add as one.
     */
    boolean keyRemade(Change c) {
        String key = c instanceof Change.DropPrimaryKey k ? k.table().key() + "\u0000" + k.key().name()
                : c instanceof Change.AddPrimaryKey k ? k.table().key() + "\u0000" + k.key().name() : null;
        return key != null && remadeKeys.contains(key);
    }

    /**
     * drizzle-kit disables row-level security before dropping a table that does not have it enabled, whenever the plan
     * alters another table (anything but whole columns added, dropped or renamed); harmless, and written the same here.
     */
    private static List<Change> withDroppedTablesDisabled(List<Change> changes) {
        Set<String> created = new HashSet<>();
        Set<String> dropped = new HashSet<>();
        for (Change c : changes) {
            if (c instanceof Change.CreateTable t) {
                created.add(Change.TableRef.of(t.table()).key());
            } else if (c instanceof Change.DropTable t) {
                dropped.add(Change.TableRef.of(t.table()).key());
            }
        }
        boolean altered = changes.stream().anyMatch(c -> altersTable(c) && !created.contains(tableOf(c)) && !dropped.contains(tableOf(c)));
        if (!altered) {
            return changes;
        }
        List<Change> out = new ArrayList<>(changes.size() + dropped.size());
        for (Change c : changes) {
            if (c instanceof Change.DropTable t && !t.table().isRLSEnabled()) {
                out.add(new Change.DisableRls(Change.TableRef.of(t.table())));
            }
            out.add(c);
        }
        return out;
    }

    /** A step that makes drizzle-kit count its table as altered. */
    private static boolean altersTable(Change c) {
        return tableOf(c) != null && !(c instanceof Change.AddColumn || c instanceof Change.DropColumn
                || c instanceof Change.RenameColumn || c instanceof Change.RenameTable || c instanceof Change.CreateTable
                || c instanceof Change.DropTable);
    }

    /** The key of the table a step belongs to, or {@code null} for steps outside tables. */
    private static String tableOf(Change c) {
        if (c instanceof Change.CreateTable t) return Change.TableRef.of(t.table()).key();
        if (c instanceof Change.DropTable t) return Change.TableRef.of(t.table()).key();
        if (c instanceof Change.RenameTable t) return t.from().key();
        if (c instanceof Change.EnableRls t) return t.table().key();
        if (c instanceof Change.DisableRls t) return t.table().key();
        if (c instanceof Change.AddColumn a) return a.table().key();
        if (c instanceof Change.DropColumn d) return d.table().key();
        if (c instanceof Change.RenameColumn r) return r.table().key();
        if (c instanceof Change.ColumnChange cc) return cc.table().key();
        if (c instanceof Change.AddPrimaryKey k) return k.table().key();
        if (c instanceof Change.DropPrimaryKey k) return k.table().key();
        if (c instanceof Change.AddForeignKey fk) return fk.table().key();
        if (c instanceof Change.DropForeignKey fk) return fk.table().key();
        if (c instanceof Change.AddUnique u) return u.table().key();
        if (c instanceof Change.DropUnique u) return u.table().key();
        if (c instanceof Change.AddCheck k) return k.table().key();
        if (c instanceof Change.DropCheck k) return k.table().key();
        if (c instanceof Change.CreateIndex i) return i.table().key();
        if (c instanceof Change.DropIndex i) return i.table().key();
        if (c instanceof Change.CreatePolicy p) return p.table().key();
        if (c instanceof Change.DropPolicy p) return p.table().key();
        if (c instanceof Change.AlterPolicy p) return p.table().key();
        return null;
    }

    /** The group of drizzle-kit's statement order each kind of step belongs to, in steps of ten. */
    int group(Change c) {
        if (c instanceof Change.CreateSchema) return 10;
        if (c instanceof Change.RenameSchema) return 20;
        if (c instanceof Change.CreateEnum) return 30;
        if (c instanceof Change.RenameEnum) return 50;
        if (c instanceof Change.AddEnumValue) return 60;
        if (c instanceof Change.CreateSequence) return 70;
        if (c instanceof Change.AlterSequence) return 80;
        if (c instanceof Change.DropRole) return 90;
        if (c instanceof Change.CreateRole) return 90;
        if (c instanceof Change.AlterRole) return 90;
        if (c instanceof Change.CreateTable) return 100;
        if (c instanceof Change.EnableRls) return 110;
        if (c instanceof Change.DisableRls) return 110;
        if (c instanceof Change.DropView) return 120;
        if (c instanceof Change.DropTable) return 140;
        if (c instanceof Change.RenameTable) return 160;
        if (c instanceof Change.RenameColumn) return 170;
        if (c instanceof Change.DropUnique) return 180;
        if (c instanceof Change.DropCheck) return 190;
        if (c instanceof Change.DropForeignKey) return 200;
        if (c instanceof Change.RecreateEnum) return 210;
        if (c instanceof Change.DropIndex) return 220;
        if (c instanceof Change.DropPrimaryKey) return keyRemade(c) ? 315 : 230;
        if (c instanceof Change.ColumnChange) return 240;
        // A key over a column this plan adds can only follow that column (drizzle-kit adds it before and fails).
        if (c instanceof Change.AddPrimaryKey k) return k.inline() ? 240 : keyRemade(c) ? 315
                : k.key().columns().stream().anyMatch(col -> added(k.table(), col)) ? 265 : 250;
        if (c instanceof Change.AddColumn) return 260;
        if (c instanceof Change.AddForeignKey fk) return fk.newTable() ? 270 : 290;
        if (c instanceof Change.CreateIndex i) return i.newTable() ? 280 : 300;
        if (c instanceof Change.DropColumn) return 310;
        if (c instanceof Change.AddUnique) return 330;
        if (c instanceof Change.AddCheck) return 340;
        if (c instanceof Change.CreateView) return 360;
        if (c instanceof Change.DropPolicy) return 370;
        if (c instanceof Change.CreatePolicy) return 370;
        if (c instanceof Change.AlterPolicy) return 370;
        if (c instanceof Change.DropEnum) return 390;
        if (c instanceof Change.DropSequence) return 400;
        if (c instanceof Change.DropSchema) return 410;
        throw new IllegalStateException("No statement group for " + c.getClass().getSimpleName());
    }

    /** Foreign keys of altered tables are written table by table, in the order the plan first names each table. */
    int table(Change c) {
        if (c instanceof Change.DropForeignKey || c instanceof Change.AddForeignKey fk && !fk.newTable()) {
            return tablePosition.getOrDefault(tableOf(c), 0);
        }
        return 0;
    }

    /**
     * Within a group: roles and policies dropped, then created, then altered; enabled row-level security before
     * disabled, a dropped table's last; foreign keys and indexes dropped or added before re-created ones.
     */
    int step(Change c) {
        if (c instanceof Change.CreatePolicy) return 1;
        if (c instanceof Change.CreateRole) return 1;
        if (c instanceof Change.AlterPolicy) return 2;
        if (c instanceof Change.AlterRole) return 2;
        if (c instanceof Change.DisableRls) return 1;
        if (c instanceof Change.AddPrimaryKey && keyRemade(c)) return 1;
        if (c instanceof Change.DropForeignKey fk) return recreated(fk.table(), fk.key(), addedForeignKeys) ? 1 : 0;
        if (c instanceof Change.AddForeignKey fk) return recreated(fk.table(), fk.key(), droppedForeignKeys) ? 1 : 0;
        if (c instanceof Change.DropIndex i) return createdIndexes.contains(i.table().key() + "\u0000" + i.index().name()) ? 1 : 0;
        if (c instanceof Change.CreateIndex i) return droppedIndexes.contains(i.table().key() + "\u0000" + i.index().name()) ? 1 : 0;
        return 0;
    }

    private boolean added(Change.TableRef table, String column) {
        return addedColumns.contains(table.key() + "\u0000" + column);
    }

    private static boolean recreated(Change.TableRef table, Constraints.ForeignKey key, Set<String> otherSide) {
        return otherSide.contains(table.key() + "\u0000" + key.name());
    }
}
