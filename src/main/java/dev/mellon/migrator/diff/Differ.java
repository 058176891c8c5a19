package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.Index;
import dev.mellon.migrator.schema.Literal;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SchemaObjects;
import dev.mellon.migrator.schema.Table;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Computes the typed steps that turn one schema into another. Objects are matched by qualified name (after rename
 * hints); anything that differs and that PostgreSQL cannot alter in place (an index, a check, a foreign key, a view)
 * is dropped and created again, as drizzle-kit does. The order of the result is not the execution order: that is
 * the SQL writer's business.
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
    private final Comparison comparison;

    public Differ(Options options) {
        this.options = options;
        this.comparison = options.comparison();
    }

    public DiffResult diff(SchemaModel from, SchemaModel to) {
        SchemaModel b = truncated(resolved(to, from));
        Renamer.Renamed renamed = Renamer.apply(truncated(resolved(from, to)), b, options.renames());
        SchemaModel a = renamed.model();
        List<Change> out = new ArrayList<>(renamed.changes());
        List<Rename> candidates = new ArrayList<>();

        keyed(a.schemas(), b.schemas(), s -> out.add(new Change.CreateSchema(s)), s -> out.add(new Change.DropSchema(s)),
                (x, y) -> { });
        keyed(a.enums(), b.enums(), e -> out.add(new Change.CreateEnum(e)), e -> out.add(new Change.DropEnum(e)),
                (x, y) -> enumType(x, y, a, b, out));
        keyed(a.sequences(), b.sequences(), s -> out.add(new Change.CreateSequence(s)), s -> out.add(new Change.DropSequence(s)),
                (x, y) -> {
                    if (!sameSequence(x, y)) {
                        out.add(new Change.AlterSequence(x, y));
                    }
                });
        if (options.roles()) {
            keyed(a.roles(), b.roles(), r -> out.add(new Change.CreateRole(r)), r -> out.add(new Change.DropRole(r)), (x, y) -> {
                if (!x.equals(y)) {
                    out.add(new Change.AlterRole(x, y));
                }
            });
        }
        keyed(a.tables(), b.tables(), t -> createTable(t, out), t -> out.add(new Change.DropTable(t)),
                (x, y) -> table(x, y, out, candidates));
        keyed(a.views(), b.views(), v -> {
            if (!v.isExisting()) {
                out.add(new Change.CreateView(v));
            }
        }, v -> {
            if (!v.isExisting()) {
                out.add(new Change.DropView(v));
            }
        }, (x, y) -> {
            if (!x.isExisting() && !y.isExisting() && !sameView(x, y)) {
                out.add(new Change.DropView(x));
                out.add(new Change.CreateView(y));
            }
        });
        recreateDependentViews(a, b, out);
        tableRenameCandidates(out, candidates);
        return new DiffResult(withoutCascadedDrops(out), candidates);
    }

    /**
     * Calls {@code both} for each key the two maps share, in {@code from}'s order; {@code created} for each key only
     * {@code to} has, in its order; then {@code dropped} for each key only {@code from} has. drizzle-kit writes
     * objects in the order the snapshots list them: altered ones as the old snapshot lists them.
     */
    private static <T> void keyed(Map<String, T> from, Map<String, T> to, java.util.function.Consumer<T> created,
                                  java.util.function.Consumer<T> dropped, java.util.function.BiConsumer<T, T> both) {
        for (Map.Entry<String, T> e : from.entrySet()) {
            T now = to.get(e.getKey());
            if (now != null) {
                both.accept(e.getValue(), now);
            }
        }
        for (Map.Entry<String, T> e : to.entrySet()) {
            if (!from.containsKey(e.getKey())) {
                created.accept(e.getValue());
            }
        }
        for (Map.Entry<String, T> e : from.entrySet()) {
            if (!to.containsKey(e.getKey())) {
                dropped.accept(e.getValue());
            }
        }
    }

    // Enums

    private void enumType(SchemaObjects.EnumType from, SchemaObjects.EnumType to, SchemaModel source, SchemaModel target,
                          List<Change> out) {
        List<String> old = from.values();
        List<String> now = to.values();
        if (!now.containsAll(old)) {
            recreate(from, to, source, target, out);
            return;
        }
        // Values are compared as a set, as drizzle-kit does: ADD VALUE appends, so a database built by appending
        // legitimately lists them in another order than the one declared.
        for (int i = 0; i < now.size(); i++) {
            String value = now.get(i);
            if (!old.contains(value)) {
                String before = null;
                for (int j = i + 1; j < now.size() && before == null; j++) {
                    if (old.contains(now.get(j))) {
                        before = now.get(j);
                    }
                }
                out.add(new Change.AddEnumValue(to, value, before));
            }
        }
    }

    /**
     * The columns that use the enum now: those that keep it are converted through text and back; those that leave it
     * (dropped, or retyped) are converted to text only, since the type cannot be dropped while they use it.
     */
    private static void recreate(SchemaObjects.EnumType from, SchemaObjects.EnumType to, SchemaModel source, SchemaModel target,
                                 List<Change> out) {
        List<Change.ColumnUse> kept = new ArrayList<>();
        List<Change.ReleasedColumn> released = new ArrayList<>();
        for (Map.Entry<String, Table> e : source.tables().entrySet()) {
            Table after = target.tables().get(e.getKey());
            for (Column c : e.getValue().columns().values()) {
                if (!uses(c, from)) {
                    continue;
                }
                Column now = after == null ? null : after.columns().get(c.name());
                Change.TableRef ref = Change.TableRef.of(e.getValue());
                if (now != null && uses(now, to)) {
                    kept.add(new Change.ColumnUse(ref, now, c));
                } else if (after != null) {
                    released.add(new Change.ReleasedColumn(ref, c, now));
                }
            }
        }
        // New tables are created (with the old type) before the type is recreated: their columns go through text too.
        for (Map.Entry<String, Table> e : target.tables().entrySet()) {
            if (!source.tables().containsKey(e.getKey())) {
                for (Column c : e.getValue().columns().values()) {
                    if (uses(c, to)) {
                        kept.add(new Change.ColumnUse(Change.TableRef.of(e.getValue()), c, null));
                    }
                }
            }
        }
        out.add(new Change.RecreateEnum(from, to, kept, released));
    }

    private static boolean uses(Column c, SchemaObjects.EnumType type) {
        return type.schema().equals(c.typeSchema()) && c.type().replace("[]", "").equals(type.name());
    }

    private static boolean sameSequence(SchemaObjects.Sequence x, SchemaObjects.Sequence y) {
        return Objects.equals(x.increment(), y.increment()) && Objects.equals(x.startWith(), y.startWith())
                && Objects.equals(x.minValue(), y.minValue()) && Objects.equals(x.maxValue(), y.maxValue())
                && Objects.equals(x.cache(), y.cache()) && x.cycle() == y.cycle();
    }

    // Tables

    private void createTable(Table t, List<Change> out) {
        out.add(new Change.CreateTable(t));
        Change.TableRef ref = Change.TableRef.of(t);
        if (rls(t)) {
            out.add(new Change.EnableRls(ref));
        }
        t.foreignKeys().values().forEach(fk -> out.add(new Change.AddForeignKey(ref, fk, true)));
        t.indexes().values().forEach(i -> out.add(new Change.CreateIndex(ref, i, true)));
        t.policies().values().forEach(p -> out.add(new Change.CreatePolicy(ref, p)));
    }

    /** drizzle-kit enables row-level security for a table with policies even without {@code enableRLS()}. */
    public static boolean rls(Table t) {
        return t.isRLSEnabled() || !t.policies().isEmpty();
    }

    private void table(Table before, Table to, List<Change> out, List<Rename> candidates) {
        Change.TableRef ref = Change.TableRef.of(to);
        // A column whose generation changes is dropped and added again, and its keys, checks and indexes go with it:
        // compare them as if already gone, so that they are created again.
        Table from = withoutKeysOn(before, readded(before, to));
        // A key declared on a column is written with that column's alterations, before them (drizzle-kit's order).
        primaryKey(ref, from, to, out);
        Set<String> added = new HashSet<>();
        Set<String> dropped = new HashSet<>();
        keyed(from.columns(), to.columns(), c -> {
            out.add(new Change.AddColumn(ref, c));
            added.add(c.name());
        }, c -> {
            out.add(new Change.DropColumn(ref, c));
            dropped.add(c.name());
        }, (x, y) -> column(ref, x, y, out));
        for (String a : to.columns().keySet()) {
            for (String d : from.columns().keySet()) {
                if (added.contains(a) && dropped.contains(d) && comparison.sameType(qualifiedType(from.columns().get(d)),
                        qualifiedType(to.columns().get(a)))) {
                    candidates.add(new Rename(Rename.Kind.COLUMN, ref.key() + "." + d, ref.key() + "." + a));
                }
            }
        }
        keyed(from.foreignKeys(), to.foreignKeys(), fk -> out.add(new Change.AddForeignKey(ref, fk, false)),
                fk -> out.add(new Change.DropForeignKey(ref, fk)), (x, y) -> {
                    if (!sameForeignKey(x, y)) {
                        out.add(new Change.DropForeignKey(ref, x));
                        out.add(new Change.AddForeignKey(ref, y, false));
                    }
                });
        keyed(uniques(from), uniques(to), u -> out.add(new Change.AddUnique(ref, u)), u -> out.add(new Change.DropUnique(ref, u)),
                (x, y) -> {
                    if (x.nullsNotDistinct() != y.nullsNotDistinct() || !x.columns().equals(y.columns())) {
                        out.add(new Change.DropUnique(ref, x));
                        out.add(new Change.AddUnique(ref, y));
                    }
                });
        keyed(from.checkConstraints(), to.checkConstraints(), c -> out.add(new Change.AddCheck(ref, c)),
                c -> out.add(new Change.DropCheck(ref, c)), (x, y) -> {
                    if (!comparison.sameExpression(x.value(), y.value())) {
                        out.add(new Change.DropCheck(ref, x));
                        out.add(new Change.AddCheck(ref, y));
                    }
                });
        keyed(from.indexes(), to.indexes(), i -> out.add(new Change.CreateIndex(ref, i, false)),
                i -> out.add(new Change.DropIndex(ref, i)), (x, y) -> {
                    if (!sameIndex(x, y)) {
                        out.add(new Change.DropIndex(ref, x));
                        out.add(new Change.CreateIndex(ref, y, false));
                    }
                });
        boolean wasRls = rls(from);
        boolean isRls = rls(to);
        if (isRls && !wasRls) {
            out.add(new Change.EnableRls(ref));
        } else if (wasRls && !isRls) {
            out.add(new Change.DisableRls(ref));
        }
        keyed(from.policies(), to.policies(), p -> out.add(new Change.CreatePolicy(ref, p)),
                p -> out.add(new Change.DropPolicy(ref, p)), (x, y) -> {
                    if (!Objects.equals(orDefault(x.as(), "PERMISSIVE"), orDefault(y.as(), "PERMISSIVE"))
                            || !Objects.equals(orDefault(x.forCommand(), "ALL"), orDefault(y.forCommand(), "ALL"))) {
                        out.add(new Change.DropPolicy(ref, x));
                        out.add(new Change.CreatePolicy(ref, y));
                    } else if (!roles(x).equals(roles(y)) || !comparison.sameExpression(x.using(), y.using())
                            || !comparison.sameExpression(x.withCheck(), y.withCheck())) {
                        out.add(new Change.AlterPolicy(ref, x, y));
                    }
                });
    }

    /** Columns that the plan drops and adds again: those given a new generation expression. */
    private Set<String> readded(Table from, Table to) {
        Set<String> out = new HashSet<>();
        for (Column c : to.columns().values()) {
            Column old = from.columns().get(c.name());
            if (old != null && c.generated() != null
                    && !comparison.sameExpression(old.generated() == null ? null : old.generated().as(), c.generated().as())) {
                out.add(c.name());
            }
        }
        return out;
    }

    /** The table without the indexes and constraints that use any of {@code columns}. */
    private static Table withoutKeysOn(Table t, Set<String> columns) {
        if (columns.isEmpty()) {
            return t;
        }
        java.util.function.Predicate<String> mentions = sql -> sql != null && columns.stream().anyMatch(c -> mentions(sql, c));
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

    private void column(Change.TableRef ref, Column from, Column to, List<Change> out) {
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
        String g1 = from.generated() == null ? null : from.generated().as();
        String g2 = to.generated() == null ? null : to.generated().as();
        if (!comparison.sameExpression(g1, g2)) {
            out.add(new Change.AlterColumnGenerated(ref, from, to));
        }
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

    /** The one primary key of a table, whether declared on its column or as a named key. */
    private record Key(Constraints.PrimaryKey key, boolean inline) {
    }

    static String inlineKeyName(String table) {
        return Identifiers.truncate(table + "_pkey");
    }

    private static Key key(Table t) {
        if (!t.compositePrimaryKeys().isEmpty()) {
            return new Key(t.compositePrimaryKeys().values().iterator().next(), false);
        }
        List<String> columns = t.columns().values().stream().filter(Column::primaryKey).map(Column::name).toList();
        return columns.isEmpty() ? null : new Key(new Constraints.PrimaryKey(inlineKeyName(t.name()), columns), true);
    }

    /**
     * A one-column key is the same key whether declared on the column or named: PostgreSQL keeps the name a key was
     * created with, and drizzle snapshots use both forms. Only the key columns decide.
     */
    private static void primaryKey(Change.TableRef ref, Table from, Table to, List<Change> out) {
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

    private static boolean sameForeignKey(Constraints.ForeignKey x, Constraints.ForeignKey y) {
        return x.tableTo().equals(y.tableTo()) && orDefault(x.schemaTo(), "public").equals(orDefault(y.schemaTo(), "public"))
                && x.columnsFrom().equals(y.columnsFrom()) && x.columnsTo().equals(y.columnsTo())
                && action(x.onDelete()).equals(action(y.onDelete())) && action(x.onUpdate()).equals(action(y.onUpdate()));
    }

    private boolean sameIndex(Index x, Index y) {
        return x.isUnique() == y.isUnique() && orDefault(x.method(), "btree").equals(orDefault(y.method(), "btree"))
                && keys(x).equals(keys(y)) && comparison.sameExpression(x.where(), y.where()) && with(x.with()).equals(with(y.with()));
    }

    /**
     * An index's keys as one comparison text. A plain key is spelled the way a hand-written expression key would be
     * ({@code created_at DESC NULLS LAST}), so that the two forms drizzle snapshots use for the same index compare
     * equal. NULLS is spelled only where it differs from PostgreSQL's default (LAST for ASC, FIRST for DESC).
     */
    private String keys(Index index) {
        return index.columns().stream().map(c -> {
            if (c.isExpression()) {
                return comparison == Comparison.TEXTUAL ? Expressions.normalize(c.expression()) : c.expression().strip();
            }
            String key = "\"" + c.expression().replace("\"", "\"\"") + "\"" + (c.asc() ? "" : " desc")
                    + (c.asc() == "last".equals(orDefault(c.nulls(), "last")) ? "" : " nulls " + c.nulls())
                    + (c.opclass() == null ? "" : " " + c.opclass());
            return comparison == Comparison.TEXTUAL ? Expressions.normalize(key) : key;
        }).collect(Collectors.joining(", "));
    }

    private static String with(Map<String, Literal> with) {
        return new TreeMap<>(with).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().text())
                .collect(Collectors.joining(", "));
    }

    private boolean sameView(SchemaObjects.View x, SchemaObjects.View y) {
        return x.materialized() == y.materialized() && comparison.sameExpression(x.definition(), y.definition())
                && Objects.equals(x.with() == null ? "" : with(x.with()), y.with() == null ? "" : with(y.with()));
    }

    private static List<String> roles(Constraints.Policy p) {
        return p.to() == null || p.to().isEmpty() ? List.of("public") : p.to().stream().sorted().toList();
    }

    /**
     * PostgreSQL refuses to change the type of, or drop, a column a view reads. A view over a table whose columns
     * change that way is dropped before and created again after (drizzle-kit leaves it, and the step fails). Which
     * tables a view reads is judged from its text: a view that merely mentions the name is recreated needlessly,
     * which is safe.
     */
    private static void recreateDependentViews(SchemaModel a, SchemaModel b, List<Change> out) {
        Set<String> retyped = new HashSet<>();
        for (Change c : out) {
            if (c instanceof Change.AlterColumnType t) {
                retyped.add(t.table().name());
            } else if (c instanceof Change.DropColumn d) {
                retyped.add(d.table().name());
            } else if (c instanceof Change.AlterColumnGenerated g && g.to().generated() != null) {
                retyped.add(g.table().name());
            } else if (c instanceof Change.RecreateEnum e) {
                e.columns().forEach(use -> retyped.add(use.table().name()));
            }
        }
        if (retyped.isEmpty()) {
            return;
        }
        Set<String> touched = new HashSet<>();
        for (Change c : out) {
            if (c instanceof Change.DropView || c instanceof Change.CreateView) {
                touched.add(c.name());
            }
        }
        for (Map.Entry<String, SchemaObjects.View> e : b.views().entrySet()) {
            SchemaObjects.View before = a.views().get(e.getKey());
            SchemaObjects.View after = e.getValue();
            if (before == null || before.isExisting() || after.isExisting() || touched.contains(after.schema() + "." + after.name())
                    || before.definition() == null) {
                continue;
            }
            if (retyped.stream().anyMatch(table -> mentions(before.definition(), table))) {
                out.add(new Change.DropView(before));
                out.add(new Change.CreateView(after));
            }
        }
    }

    private static boolean mentions(String sql, String identifier) {
        return java.util.regex.Pattern.compile("(?<![\\w$])\"?" + java.util.regex.Pattern.quote(identifier) + "\"?(?![\\w$])")
                .matcher(sql).find();
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
                    && dropped.contains(orDefault(fk.key().schemaTo(), "public") + "." + fk.key().tableTo())) {
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

    /**
     * What older drizzle-kit versions left out of a snapshot, filled in as drizzle-kit reads it: an enum column
     * without {@code typeSchema} uses the enum of that name (the public one first), and a foreign key without
     * {@code schemaTo} references the table of that name: the public one, else the only one of that name in any
     * schema (where drizzle-kit would write {@code "public"."t"} and fail, we resolve it: a deliberate departure).
     */
    static SchemaModel resolved(SchemaModel model, SchemaModel other) {
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

    static String qualifiedType(Column c) {
        return c.typeSchema() == null ? c.type() : c.typeSchema() + "." + c.type();
    }

    private static String action(String action) {
        return orDefault(action, "no action").toLowerCase(Locale.ROOT);
    }

    private static String orDefault(String value, String otherwise) {
        return value == null ? otherwise : value;
    }
}
