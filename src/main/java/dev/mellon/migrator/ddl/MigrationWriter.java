package dev.mellon.migrator.ddl;

import dev.mellon.migrator.diff.Change;
import dev.mellon.migrator.diff.Differ;
import dev.mellon.migrator.diff.Identifiers;
import dev.mellon.migrator.diff.TypeCasts;
import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.SchemaObjects;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns typed changes into SQL statements in drizzle-kit's order (groups in a fixed order, objects
 * alphabetical within a group) and style (§5.2). With {@code online}, steps that would block writes on a busy table
 * are written the zero-downtime way instead.
 */
public final class MigrationWriter {

    /** The statements joined as drizzle-kit joins a migration file's. */
    public static final String BREAKPOINT = "--> statement-breakpoint\n";

    private final boolean online;
    private final boolean concurrentIndexes;

    /** @param online write steps that would block a busy table the zero-downtime way */
    public MigrationWriter(boolean online) {
        this(online, true);
    }

    private MigrationWriter(boolean online, boolean concurrentIndexes) {
        this.online = online;
        this.concurrentIndexes = concurrentIndexes;
    }

    public static MigrationWriter drizzle() {
        return new MigrationWriter(false);
    }

    /** Everything runnable in one transaction: an index marked {@code concurrently} is built plainly. */
    public static MigrationWriter transactional() {
        return new MigrationWriter(false, false);
    }

    public List<Statement> write(List<Change> changes) {
        StatementOrder order = StatementOrder.of(changes);
        List<Change> ordered = order.changes();
        List<Statement> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Change change : ordered) {
            for (Statement s : render(change, order)) {
                // drizzle-kit drops statements whose text it already wrote.
                if (seen.add(s.sql())) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    public static String join(List<Statement> statements) {
        return String.join(BREAKPOINT, statements.stream().map(Statement::sql).toList());
    }

    private List<Statement> render(Change c, StatementOrder order) {
        List<Statement> out = new ArrayList<>();
        if (c instanceof Change.CreateSchema s) {
            add(out, c, "CREATE SCHEMA " + Sql.q(s.schema()) + ";\n");
        } else if (c instanceof Change.DropSchema s) {
            add(out, c, "DROP SCHEMA " + Sql.q(s.schema()) + ";\n");
        } else if (c instanceof Change.RenameSchema s) {
            add(out, c, "ALTER SCHEMA " + Sql.q(s.from()) + " RENAME TO " + Sql.q(s.to()) + ";\n");
        } else if (c instanceof Change.CreateEnum e) {
            add(out, c, createEnum(e.type()));
        } else if (c instanceof Change.DropEnum e) {
            add(out, c, "DROP TYPE " + Sql.qualified(e.type().schema(), e.type().name()) + ";");
        } else if (c instanceof Change.RenameEnum e) {
            add(out, c, "ALTER TYPE " + Sql.qualified(e.from().schema(), e.from().name()) + " RENAME TO " + Sql.q(e.to()) + ";");
        } else if (c instanceof Change.AddEnumValue e) {
            add(out, c, "ALTER TYPE " + Sql.qualified(e.type().schema(), e.type().name()) + " ADD VALUE " + Sql.literal(e.value())
                    + (e.before() == null ? "" : " BEFORE " + Sql.literal(e.before())) + ";");
        } else if (c instanceof Change.RecreateEnum e) {
            recreateEnum(e, out);
        } else if (c instanceof Change.CreateSequence s) {
            SchemaObjects.Sequence q = s.sequence();
            add(out, c, "CREATE SEQUENCE " + Sql.qualified(q.schema(), q.name()) + Sql.sequenceOptions(q.increment(), q.minValue(),
                    q.maxValue(), q.startWith(), q.cache(), q.cycle()) + ";");
        } else if (c instanceof Change.AlterSequence s) {
            SchemaObjects.Sequence q = s.to();
            add(out, c, "ALTER SEQUENCE " + Sql.qualified(q.schema(), q.name()) + Sql.sequenceOptions(q.increment(), q.minValue(),
                    q.maxValue(), q.startWith(), q.cache(), q.cycle()) + (!q.cycle() && s.from().cycle() ? " NO CYCLE" : "") + ";");
        } else if (c instanceof Change.DropSequence s) {
            add(out, c, "DROP SEQUENCE " + Sql.qualified(s.sequence().schema(), s.sequence().name()) + ";");
        } else if (c instanceof Change.CreateRole r) {
            add(out, c, "CREATE ROLE " + Sql.q(r.role().name()) + roleOptions(r.role(), false) + ";");
        } else if (c instanceof Change.DropRole r) {
            add(out, c, "DROP ROLE " + Sql.q(r.role().name()) + ";");
        } else if (c instanceof Change.AlterRole r) {
            add(out, c, "ALTER ROLE " + Sql.q(r.to().name()) + roleOptions(r.to(), true) + ";");
        } else if (c instanceof Change.CreateTable t) {
            add(out, c, Sql.createTable(t.table()));
            // drizzle-kit enables row-level security right after its table (written again later, it is left out).
            if (Differ.rls(t.table())) {
                add(out, c, "ALTER TABLE " + Sql.table(t.table()) + " ENABLE ROW LEVEL SECURITY;");
            }
            t.table().uniqueConstraints().values().stream().filter(u -> Sql.onPrimaryKeyColumns(t.table(), u))
                    .forEach(u -> add(out, c, Sql.addUnique(Change.TableRef.of(t.table()), u)));
        } else if (c instanceof Change.DropTable t) {
            // drizzle-kit drops a table's policies first (CASCADE would take them along; written the same all the same).
            for (Constraints.Policy p : t.table().policies().values()) {
                add(out, c, "DROP POLICY " + Sql.q(p.name()) + " ON " + Sql.table(t.table()) + " CASCADE;");
            }
            add(out, c, "DROP TABLE " + Sql.table(t.table()) + " CASCADE;");
        } else if (c instanceof Change.RenameTable t) {
            add(out, c, "ALTER TABLE " + Sql.table(t.from()) + " RENAME TO " + Sql.q(t.to()) + ";");
        } else if (c instanceof Change.EnableRls t) {
            add(out, c, "ALTER TABLE " + Sql.table(t.table()) + " ENABLE ROW LEVEL SECURITY;");
        } else if (c instanceof Change.DisableRls t) {
            add(out, c, "ALTER TABLE " + Sql.table(t.table()) + " DISABLE ROW LEVEL SECURITY;");
        } else if (c instanceof Change.AddColumn a) {
            addColumn(a, out);
        } else if (c instanceof Change.DropColumn d) {
            add(out, c, "ALTER TABLE " + Sql.table(d.table()) + " DROP COLUMN " + Sql.q(d.column().name()) + ";");
        } else if (c instanceof Change.RenameColumn r) {
            add(out, c, "ALTER TABLE " + Sql.table(r.table()) + " RENAME COLUMN " + Sql.q(r.from()) + " TO " + Sql.q(r.to()) + ";");
        } else if (c instanceof Change.ColumnChange cc) {
            alterColumn(cc, out);
        } else if (c instanceof Change.AddPrimaryKey k) {
            add(out, c, "ALTER TABLE " + Sql.table(k.table()) + (k.inline() ? " ADD PRIMARY KEY (" + Sql.columns(k.key().columns()) + ");"
                    : " ADD CONSTRAINT " + Sql.q(k.key().name()) + " PRIMARY KEY(" + Sql.columns(k.key().columns()) + ");"));
        } else if (c instanceof Change.DropPrimaryKey k) {
            // A named key re-made with other columns ends with a line break, as drizzle-kit writes that pair.
            add(out, c, dropConstraint(k.table(), k.key().name(), order.keyRemade(k) ? "\n" : ""));
        } else if (c instanceof Change.AddForeignKey fk) {
            addForeignKey(fk, out);
        } else if (c instanceof Change.DropForeignKey fk) {
            add(out, c, dropConstraint(fk.table(), fk.key().name(), "\n"));
        } else if (c instanceof Change.AddUnique u) {
            add(out, c, Sql.addUnique(u.table(), u.unique()));
        } else if (c instanceof Change.DropUnique u) {
            add(out, c, dropConstraint(u.table(), u.unique().name(), ""));
        } else if (c instanceof Change.AddCheck k) {
            addCheck(k, out);
        } else if (c instanceof Change.DropCheck k) {
            add(out, c, dropConstraint(k.table(), k.check().name(), ""));
        } else if (c instanceof Change.CreateIndex i) {
            boolean concurrently = concurrentIndexes && (online && !i.newTable() || i.index().concurrently());
            out.add(new Statement(Sql.index(i.table(), i.index(), concurrently), c, !concurrently));
        } else if (c instanceof Change.DropIndex i) {
            add(out, c, Sql.dropIndex(i.table(), i.index(), false));
        } else if (c instanceof Change.CreatePolicy p) {
            add(out, c, Sql.createPolicy(p.table(), p.policy()));
        } else if (c instanceof Change.DropPolicy p) {
            add(out, c, "DROP POLICY " + Sql.q(p.policy().name()) + " ON " + Sql.table(p.table()) + " CASCADE;");
        } else if (c instanceof Change.AlterPolicy p) {
            Constraints.Policy to = p.to();
            add(out, c, "ALTER POLICY " + Sql.q(to.name()) + " ON " + Sql.table(p.table()) + " TO " + Sql.roles(to)
                    + (to.using() == null ? "" : " USING (" + to.using() + ")")
                    + (to.withCheck() == null ? "" : " WITH CHECK (" + to.withCheck() + ")") + ";");
        } else if (c instanceof Change.CreateView v) {
            add(out, c, Sql.createView(v.view()));
        } else if (c instanceof Change.DropView v) {
            add(out, c, "DROP " + (v.view().materialized() ? "MATERIALIZED " : "") + "VIEW "
                    + Sql.qualified(v.view().schema(), v.view().name()) + ";");
        } else {
            throw new IllegalStateException("No SQL for " + c.getClass().getSimpleName());
        }
        return out;
    }

    private static void add(List<Statement> out, Change c, String sql) {
        out.add(new Statement(sql, c, true));
    }

    private static String createEnum(SchemaObjects.EnumType e) {
        return "CREATE TYPE " + Sql.qualified(e.schema(), e.name()) + " AS ENUM("
                + String.join(", ", e.values().stream().map(Sql::literal).toList()) + ");";
    }

    /** drizzle-kit's recreate: columns through text, drop, create, columns back with a cast. */
    private static void recreateEnum(Change.RecreateEnum e, List<Statement> out) {
        for (Change.ReleasedColumn r : e.released()) {
            // A default cast to the enum would keep the type alive: it goes; a retyped column gets its own back later.
            if (r.from().defaultValue() != null) {
                add(out, e, alter(r.table(), r.from()) + " DROP DEFAULT;");
            }
            String suffix = r.from().type().substring(r.from().type().replace("[]", "").length());
            add(out, e, alter(r.table(), r.from()) + " SET DATA TYPE text" + suffix + ";");
        }
        for (Change.ColumnUse use : e.columns()) {
            Column c = use.column();
            if (use.before() != null && use.before().defaultValue() != null && c.defaultValue() == null) {
                add(out, e, alter(use.table(), c) + " DROP DEFAULT;");
            }
            String suffix = c.type().substring(c.type().replace("[]", "").length());
            add(out, e, alter(use.table(), c) + " SET DATA TYPE text" + suffix + ";");
            if (c.defaultValue() != null) {
                add(out, e, alter(use.table(), c) + " SET DEFAULT " + Sql.defaultValue(c) + "::text" + suffix + ";");
            }
        }
        add(out, e, "DROP TYPE " + Sql.qualified(e.from().schema(), e.from().name()) + ";");
        add(out, e, createEnum(e.to()));
        for (Change.ColumnUse use : e.columns()) {
            Column c = use.column();
            if (c.defaultValue() != null) {
                add(out, e, alter(use.table(), c) + " SET DEFAULT " + Sql.defaultValue(c) + "::" + Sql.enumType(c) + ";");
            }
            add(out, e, alter(use.table(), c) + " SET DATA TYPE " + Sql.enumType(c) + " USING " + Sql.q(c.name()) + "::"
                    + Sql.enumType(c) + ";");
        }
    }

    private static String alter(Change.TableRef t, Column c) {
        return "ALTER TABLE " + Sql.table(t) + " ALTER COLUMN " + Sql.q(c.name());
    }

    private static String dropConstraint(Change.TableRef t, String name, String end) {
        return "ALTER TABLE " + Sql.table(t) + " DROP CONSTRAINT " + Sql.q(name) + ";" + end;
    }

    private void addColumn(Change.AddColumn a, List<Statement> out) {
        Column c = a.column();
        boolean backfill = online && c.notNull() && c.defaultValue() == null && c.identity() == null && c.generated() == null
                && !c.type().endsWith("serial");
        if (!backfill) {
            add(out, a, "ALTER TABLE " + Sql.table(a.table()) + " ADD COLUMN " + Sql.addedColumn(c, a.table()) + ";");
            return;
        }
        Column nullable = new Column(c.name(), c.type(), c.typeSchema(), c.primaryKey(), false, null, null, null, null, null, null);
        add(out, a, "ALTER TABLE " + Sql.table(a.table()) + " ADD COLUMN " + Sql.addedColumn(nullable, a.table()) + ";");
        add(out, a, "-- Backfill " + Sql.q(c.name()) + " before it becomes NOT NULL, in batches on a large table, e.g.\n"
                + "-- UPDATE " + Sql.table(a.table()) + " SET " + Sql.q(c.name()) + " = <value> WHERE " + Sql.q(c.name()) + " IS NULL;");
        setNotNullOnline(a, a.table(), c, out);
    }

    /** SET NOT NULL without a long ACCESS EXCLUSIVE scan: a NOT VALID check validated under a weaker lock first. */
    private static void setNotNullOnline(Change change, Change.TableRef t, Column c, List<Statement> out) {
        String check = Sql.q(Identifiers.truncate(t.name() + "_" + c.name() + "_not_null"));
        String table = "ALTER TABLE " + Sql.table(t);
        add(out, change, table + " ADD CONSTRAINT " + check + " CHECK (" + Sql.q(c.name()) + " IS NOT NULL) NOT VALID;");
        add(out, change, table + " VALIDATE CONSTRAINT " + check + ";");
        add(out, change, alter(t, c) + " SET NOT NULL;");
        add(out, change, table + " DROP CONSTRAINT " + check + ";");
    }

    private void alterColumn(Change.ColumnChange cc, List<Statement> out) {
        Column from = cc.from();
        Column to = cc.to();
        Change.TableRef t = cc.table();
        if (cc instanceof Change.AlterColumnType) {
            if (to.typeSchema() != null && from.typeSchema() != null) {
                // From one enum to another there is no cast: through text, with the default off meanwhile.
                if (from.defaultValue() != null) {
                    add(out, cc, alter(t, to) + " DROP DEFAULT;");
                }
                add(out, cc, alter(t, to) + " SET DATA TYPE " + Sql.enumType(to) + " USING " + Sql.q(to.name()) + "::text::"
                        + Sql.enumType(to) + ";");
                if (to.defaultValue() != null) {
                    add(out, cc, alter(t, to) + " SET DEFAULT " + Sql.defaultValue(to) + "::" + Sql.enumType(to) + ";");
                }
            } else if (to.typeSchema() != null) {
                // The default is cast to the enum first, so PostgreSQL can convert it with the column.
                if (to.defaultValue() != null) {
                    add(out, cc, alter(t, to) + " SET DEFAULT " + Sql.defaultValue(to) + "::" + Sql.enumType(to) + ";");
                }
                add(out, cc, alter(t, to) + " SET DATA TYPE " + Sql.enumType(to) + " USING " + Sql.q(to.name()) + "::"
                        + Sql.enumType(to) + ";");
            } else {
                // Without a cast PostgreSQL would apply by itself (text to jsonb), the values are cast explicitly, and
                // the old default, which would not convert either, goes first.
                boolean using = TypeCasts.needsUsing(from, to);
                if (using && from.defaultValue() != null) {
                    add(out, cc, alter(t, to) + " DROP DEFAULT;");
                }
                add(out, cc, alter(t, to) + " SET DATA TYPE " + Sql.type(to)
                        + (using ? " USING " + Sql.q(to.name()) + "::" + Sql.type(to) : "") + ";");
                // drizzle-kit re-states the default after a type change (it skips 0, false and '', a bug we do not copy);
                // a default that still casts to a former enum would keep that type alive, so it goes either way.
                if (to.defaultValue() != null) {
                    add(out, cc, alter(t, to) + " SET DEFAULT " + Sql.defaultValue(to) + ";");
                } else if (from.typeSchema() != null && from.defaultValue() != null) {
                    add(out, cc, alter(t, to) + " DROP DEFAULT;");
                }
            }
        } else if (cc instanceof Change.AlterColumnDefault) {
            add(out, cc, alter(t, to) + (to.defaultValue() == null ? " DROP DEFAULT;" : " SET DEFAULT " + Sql.defaultValue(to) + ";"));
        } else if (cc instanceof Change.AlterColumnNotNull) {
            if (!to.notNull()) {
                add(out, cc, alter(t, to) + " DROP NOT NULL;");
            } else if (online) {
                setNotNullOnline(cc, t, to, out);
            } else {
                add(out, cc, alter(t, to) + " SET NOT NULL;");
            }
        } else if (cc instanceof Change.AlterColumnIdentity) {
            alterIdentity(t, from, to, cc, out);
        } else if (cc instanceof Change.AlterColumnGenerated) {
            if (to.generated() == null) {
                add(out, cc, alter(t, to) + " DROP EXPRESSION;");
            } else {
                // PostgreSQL cannot change a generation expression in place (before 17): the column is recomputed.
                // drizzle-kit spells this one in lower case.
                add(out, cc, "ALTER TABLE " + Sql.table(t) + " drop column " + Sql.q(from.name()) + ";");
                add(out, cc, "ALTER TABLE " + Sql.table(t) + " ADD COLUMN " + Sql.addedColumn(to, t) + ";");
            }
        }
    }

    private static void alterIdentity(Change.TableRef t, Column from, Column to, Change cc, List<Statement> out) {
        Column.Identity x = from.identity();
        Column.Identity y = to.identity();
        if (y == null) {
            add(out, cc, alter(t, to) + " DROP IDENTITY;");
            return;
        }
        if (x == null) {
            add(out, cc, alter(t, to) + " ADD " + Sql.identity(y, t) + ";");
            return;
        }
        if (!java.util.Objects.equals(x.type(), y.type())) {
            add(out, cc, alter(t, to) + " SET GENERATED " + ("always".equals(y.type()) ? "ALWAYS" : "BY DEFAULT") + ";");
        }
        option(out, cc, t, to, "SET INCREMENT BY", x.increment(), y.increment());
        option(out, cc, t, to, "SET MINVALUE", x.minValue(), y.minValue());
        option(out, cc, t, to, "SET MAXVALUE", x.maxValue(), y.maxValue());
        option(out, cc, t, to, "SET START WITH", x.startWith(), y.startWith());
        option(out, cc, t, to, "SET CACHE", x.cache(), y.cache());
        if (Boolean.TRUE.equals(x.cycle()) != Boolean.TRUE.equals(y.cycle())) {
            add(out, cc, alter(t, to) + (Boolean.TRUE.equals(y.cycle()) ? " SET CYCLE;" : " SET NO CYCLE;"));
        }
    }

    /** drizzle-kit writes one statement per changed identity option. */
    private static void option(List<Statement> out, Change cc, Change.TableRef t, Column to, String clause, String from,
                               String value) {
        if (value != null && !value.equals(from)) {
            add(out, cc, alter(t, to) + " " + clause + " " + value + ";");
        }
    }

    private void addForeignKey(Change.AddForeignKey fk, List<Statement> out) {
        boolean validateLater = online && !fk.newTable();
        add(out, fk, Sql.foreignKey(fk.table(), fk.key(), validateLater));
        if (validateLater) {
            add(out, fk, "ALTER TABLE " + Sql.table(fk.table()) + " VALIDATE CONSTRAINT " + Sql.q(fk.key().name()) + ";");
        }
    }

    private void addCheck(Change.AddCheck k, List<Statement> out) {
        String table = "ALTER TABLE " + Sql.table(k.table());
        add(out, k, table + " ADD CONSTRAINT " + Sql.q(k.check().name()) + " CHECK (" + k.check().value() + ")"
                + (online ? " NOT VALID" : "") + ";");
        if (online) {
            add(out, k, table + " VALIDATE CONSTRAINT " + Sql.q(k.check().name()) + ";");
        }
    }

    private static String roleOptions(SchemaObjects.Role r, boolean all) {
        StringBuilder sql = new StringBuilder();
        if (all || r.createDb()) {
            sql.append(r.createDb() ? " CREATEDB" : " NOCREATEDB");
        }
        if (all || r.createRole()) {
            sql.append(r.createRole() ? " CREATEROLE" : " NOCREATEROLE");
        }
        if (all || !r.inherit()) {
            sql.append(r.inherit() ? " INHERIT" : " NOINHERIT");
        }
        return sql.length() == 0 ? "" : " WITH" + sql;
    }
}
