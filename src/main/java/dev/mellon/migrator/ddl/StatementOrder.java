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
        return c.accept(groups);
    }

    private final Change.Visitor<Integer> groups = new Change.Visitor<>() {
        @Override public Integer createSchema(Change.CreateSchema c) { return 10; }
        @Override public Integer dropSchema(Change.DropSchema c) { return 410; }
        @Override public Integer renameSchema(Change.RenameSchema c) { return 20; }
        @Override public Integer createEnum(Change.CreateEnum c) { return 30; }
        @Override public Integer dropEnum(Change.DropEnum c) { return 390; }
        @Override public Integer renameEnum(Change.RenameEnum c) { return 50; }
        @Override public Integer addEnumValue(Change.AddEnumValue c) { return 60; }
        @Override public Integer recreateEnum(Change.RecreateEnum c) { return 210; }
        @Override public Integer createSequence(Change.CreateSequence c) { return 70; }
        @Override public Integer dropSequence(Change.DropSequence c) { return 400; }
        @Override public Integer alterSequence(Change.AlterSequence c) { return 80; }
        @Override public Integer createRole(Change.CreateRole c) { return 90; }
        @Override public Integer dropRole(Change.DropRole c) { return 90; }
        @Override public Integer alterRole(Change.AlterRole c) { return 90; }
        @Override public Integer createTable(Change.CreateTable c) { return 100; }
        @Override public Integer dropTable(Change.DropTable c) { return 140; }
        @Override public Integer renameTable(Change.RenameTable c) { return 160; }
        @Override public Integer enableRls(Change.EnableRls c) { return 110; }
        @Override public Integer disableRls(Change.DisableRls c) { return 110; }
        @Override public Integer addColumn(Change.AddColumn c) { return 260; }
        @Override public Integer dropColumn(Change.DropColumn c) { return 310; }
        @Override public Integer renameColumn(Change.RenameColumn c) { return 170; }
        @Override public Integer alterColumnType(Change.AlterColumnType c) { return 240; }
        @Override public Integer alterColumnDefault(Change.AlterColumnDefault c) { return 240; }
        @Override public Integer alterColumnNotNull(Change.AlterColumnNotNull c) { return 240; }
        @Override public Integer alterColumnIdentity(Change.AlterColumnIdentity c) { return 240; }
        @Override public Integer alterColumnGenerated(Change.AlterColumnGenerated c) { return 240; }
        @Override public Integer addPrimaryKey(Change.AddPrimaryKey k) {
            // A key over a column this plan adds can only follow that column (drizzle-kit adds it before and fails).
            return k.inline() ? 240 : keyRemade(k) ? 315 : k.key().columns().stream().anyMatch(col -> added(k.table(), col)) ? 265 : 250;
        }
        @Override public Integer dropPrimaryKey(Change.DropPrimaryKey c) { return keyRemade(c) ? 315 : 230; }
        @Override public Integer addForeignKey(Change.AddForeignKey fk) { return fk.newTable() ? 270 : 290; }
        @Override public Integer dropForeignKey(Change.DropForeignKey c) { return 200; }
        @Override public Integer addUnique(Change.AddUnique c) { return 330; }
        @Override public Integer dropUnique(Change.DropUnique c) { return 180; }
        @Override public Integer addCheck(Change.AddCheck c) { return 340; }
        @Override public Integer dropCheck(Change.DropCheck c) { return 190; }
        @Override public Integer createIndex(Change.CreateIndex i) { return i.newTable() ? 280 : 300; }
        @Override public Integer dropIndex(Change.DropIndex c) { return 220; }
        @Override public Integer createPolicy(Change.CreatePolicy c) { return 370; }
        @Override public Integer dropPolicy(Change.DropPolicy c) { return 370; }
        @Override public Integer alterPolicy(Change.AlterPolicy c) { return 370; }
        @Override public Integer createView(Change.CreateView c) { return 360; }
        @Override public Integer dropView(Change.DropView c) { return 120; }
    };

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
