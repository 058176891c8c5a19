package dev.mellon.migrator.ddl;

import dev.mellon.migrator.diff.Change;
import dev.mellon.migrator.diff.Differ;
import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.SchemaObjects;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

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
    private final ColumnStatements columns;

    /** @param online write steps that would block a busy table the zero-downtime way */
    public MigrationWriter(boolean online) {
        this(online, true);
    }

    private MigrationWriter(boolean online, boolean concurrentIndexes) {
        this.columns = new ColumnStatements(online);
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
        return c.accept(new Renderer(order));
    }

    /** The statements of one change, in drizzle-kit's words. */
    private final class Renderer implements Change.Visitor<List<Statement>> {
        private final StatementOrder order;

        Renderer(StatementOrder order) {
            this.order = order;
        }

        @Override
        public List<Statement> createSchema(Change.CreateSchema s) {
            return one(s, "CREATE SCHEMA " + Sql.q(s.schema()) + ";\n");
        }

        @Override
        public List<Statement> dropSchema(Change.DropSchema s) {
            return one(s, "DROP SCHEMA " + Sql.q(s.schema()) + ";\n");
        }

        @Override
        public List<Statement> renameSchema(Change.RenameSchema s) {
            return one(s, "ALTER SCHEMA " + Sql.q(s.from()) + " RENAME TO " + Sql.q(s.to()) + ";\n");
        }

        @Override
        public List<Statement> createEnum(Change.CreateEnum e) {
            return one(e, MigrationWriter.createEnum(e.type()));
        }

        @Override
        public List<Statement> dropEnum(Change.DropEnum e) {
            return one(e, "DROP TYPE " + Sql.qualified(e.type().schema(), e.type().name()) + ";");
        }

        @Override
        public List<Statement> renameEnum(Change.RenameEnum e) {
            return one(e, "ALTER TYPE " + Sql.qualified(e.from().schema(), e.from().name()) + " RENAME TO " + Sql.q(e.to()) + ";");
        }

        @Override
        public List<Statement> addEnumValue(Change.AddEnumValue e) {
            return one(e, "ALTER TYPE " + Sql.qualified(e.type().schema(), e.type().name()) + " ADD VALUE " + Sql.literal(e.value())
                    + (e.before() == null ? "" : " BEFORE " + Sql.literal(e.before())) + ";");
        }

        @Override
        public List<Statement> recreateEnum(Change.RecreateEnum e) {
            return collect(out -> MigrationWriter.recreateEnum(e, out));
        }

        @Override
        public List<Statement> createSequence(Change.CreateSequence s) {
            SchemaObjects.Sequence q = s.sequence();
            return one(s, "CREATE SEQUENCE " + Sql.qualified(q.schema(), q.name()) + Sql.sequenceOptions(q.increment(), q.minValue(),
                    q.maxValue(), q.startWith(), q.cache(), q.cycle()) + ";");
        }

        @Override
        public List<Statement> dropSequence(Change.DropSequence s) {
            return one(s, "DROP SEQUENCE " + Sql.qualified(s.sequence().schema(), s.sequence().name()) + ";");
        }

        @Override
        public List<Statement> alterSequence(Change.AlterSequence s) {
            SchemaObjects.Sequence q = s.to();
            return one(s, "ALTER SEQUENCE " + Sql.qualified(q.schema(), q.name()) + Sql.sequenceOptions(q.increment(), q.minValue(),
                    q.maxValue(), q.startWith(), q.cache(), q.cycle()) + (!q.cycle() && s.from().cycle() ? " NO CYCLE" : "") + ";");
        }

        @Override
        public List<Statement> createRole(Change.CreateRole r) {
            return one(r, "CREATE ROLE " + Sql.q(r.role().name()) + roleOptions(r.role(), false) + ";");
        }

        @Override
        public List<Statement> dropRole(Change.DropRole r) {
            return one(r, "DROP ROLE " + Sql.q(r.role().name()) + ";");
        }

        @Override
        public List<Statement> alterRole(Change.AlterRole r) {
            return one(r, "ALTER ROLE " + Sql.q(r.to().name()) + roleOptions(r.to(), true) + ";");
        }

        @Override
        public List<Statement> createTable(Change.CreateTable t) {
            List<Statement> out = new ArrayList<>();
            add(out, t, Sql.createTable(t.table()));
            // drizzle-kit enables row-level security right after its table (written again later, it is left out).
            if (Differ.rls(t.table())) {
                add(out, t, "ALTER TABLE " + Sql.table(t.table()) + " ENABLE ROW LEVEL SECURITY;");
            }
            t.table().uniqueConstraints().values().stream().filter(u -> Sql.onPrimaryKeyColumns(t.table(), u))
                    .forEach(u -> add(out, t, Sql.addUnique(Change.TableRef.of(t.table()), u)));
            return out;
        }

        @Override
        public List<Statement> dropTable(Change.DropTable t) {
            List<Statement> out = new ArrayList<>();
            // drizzle-kit drops a table's policies first (CASCADE would take them along; written the same all the same).
            for (Constraints.Policy p : t.table().policies().values()) {
                add(out, t, "DROP POLICY " + Sql.q(p.name()) + " ON " + Sql.table(t.table()) + " CASCADE;");
            }
            add(out, t, "DROP TABLE " + Sql.table(t.table()) + " CASCADE;");
            return out;
        }

        @Override
        public List<Statement> renameTable(Change.RenameTable t) {
            return one(t, "ALTER TABLE " + Sql.table(t.from()) + " RENAME TO " + Sql.q(t.to()) + ";");
        }

        @Override
        public List<Statement> enableRls(Change.EnableRls t) {
            return one(t, "ALTER TABLE " + Sql.table(t.table()) + " ENABLE ROW LEVEL SECURITY;");
        }

        @Override
        public List<Statement> disableRls(Change.DisableRls t) {
            return one(t, "ALTER TABLE " + Sql.table(t.table()) + " DISABLE ROW LEVEL SECURITY;");
        }

        @Override
        public List<Statement> addColumn(Change.AddColumn a) {
            return collect(out -> columns.added(a, out));
        }

        @Override
        public List<Statement> dropColumn(Change.DropColumn d) {
            return one(d, "ALTER TABLE " + Sql.table(d.table()) + " DROP COLUMN " + Sql.q(d.column().name()) + ";");
        }

        @Override
        public List<Statement> renameColumn(Change.RenameColumn r) {
            return one(r, "ALTER TABLE " + Sql.table(r.table()) + " RENAME COLUMN " + Sql.q(r.from()) + " TO " + Sql.q(r.to()) + ";");
        }

        @Override
        public List<Statement> alterColumnType(Change.AlterColumnType cc) {
            return collect(out -> columns.type(cc, out));
        }

        @Override
        public List<Statement> alterColumnDefault(Change.AlterColumnDefault cc) {
            return collect(out -> columns.defaultValue(cc, out));
        }

        @Override
        public List<Statement> alterColumnNotNull(Change.AlterColumnNotNull cc) {
            return collect(out -> columns.notNull(cc, out));
        }

        @Override
        public List<Statement> alterColumnIdentity(Change.AlterColumnIdentity cc) {
            return collect(out -> columns.identity(cc, out));
        }

        @Override
        public List<Statement> alterColumnGenerated(Change.AlterColumnGenerated cc) {
            return collect(out -> columns.generated(cc, out));
        }

        @Override
        public List<Statement> addPrimaryKey(Change.AddPrimaryKey k) {
            return one(k, "ALTER TABLE " + Sql.table(k.table()) + (k.inline() ? " ADD PRIMARY KEY (" + Sql.columns(k.key().columns()) + ");"
                    : " ADD CONSTRAINT " + Sql.q(k.key().name()) + " PRIMARY KEY(" + Sql.columns(k.key().columns()) + ");"));
        }

        @Override
        public List<Statement> dropPrimaryKey(Change.DropPrimaryKey k) {
            // A named key re-made with other columns ends with a line break, as drizzle-kit writes that pair.
            return one(k, dropConstraint(k.table(), k.key().name(), order.keyRemade(k) ? "\n" : ""));
        }

        @Override
        public List<Statement> addForeignKey(Change.AddForeignKey fk) {
            return collect(out -> MigrationWriter.this.addForeignKey(fk, out));
        }

        @Override
        public List<Statement> dropForeignKey(Change.DropForeignKey fk) {
            return one(fk, dropConstraint(fk.table(), fk.key().name(), "\n"));
        }

        @Override
        public List<Statement> addUnique(Change.AddUnique u) {
            return one(u, Sql.addUnique(u.table(), u.unique()));
        }

        @Override
        public List<Statement> dropUnique(Change.DropUnique u) {
            return one(u, dropConstraint(u.table(), u.unique().name(), ""));
        }

        @Override
        public List<Statement> addCheck(Change.AddCheck k) {
            return collect(out -> MigrationWriter.this.addCheck(k, out));
        }

        @Override
        public List<Statement> dropCheck(Change.DropCheck k) {
            return one(k, dropConstraint(k.table(), k.check().name(), ""));
        }

        @Override
        public List<Statement> createIndex(Change.CreateIndex i) {
            boolean concurrently = concurrentIndexes && (online && !i.newTable() || i.index().concurrently());
            return List.of(new Statement(Sql.index(i.table(), i.index(), concurrently), i, !concurrently));
        }

        @Override
        public List<Statement> dropIndex(Change.DropIndex i) {
            return one(i, Sql.dropIndex(i.table(), i.index(), false));
        }

        @Override
        public List<Statement> createPolicy(Change.CreatePolicy p) {
            return one(p, Sql.createPolicy(p.table(), p.policy()));
        }

        @Override
        public List<Statement> dropPolicy(Change.DropPolicy p) {
            return one(p, "DROP POLICY " + Sql.q(p.policy().name()) + " ON " + Sql.table(p.table()) + " CASCADE;");
        }

        @Override
        public List<Statement> alterPolicy(Change.AlterPolicy p) {
            Constraints.Policy to = p.to();
            return one(p, "ALTER POLICY " + Sql.q(to.name()) + " ON " + Sql.table(p.table()) + " TO " + Sql.roles(to)
                    + (to.using() == null ? "" : " USING (" + to.using() + ")")
                    + (to.withCheck() == null ? "" : " WITH CHECK (" + to.withCheck() + ")") + ";");
        }

        @Override
        public List<Statement> createView(Change.CreateView v) {
            return one(v, Sql.createView(v.view()));
        }

        @Override
        public List<Statement> dropView(Change.DropView v) {
            return one(v, "DROP " + (v.view().materialized() ? "MATERIALIZED " : "") + "VIEW "
                    + Sql.qualified(v.view().schema(), v.view().name()) + ";");
        }
    }

    /** The statements a writer that appends to a list writes for one change. */
    private static List<Statement> collect(Consumer<List<Statement>> writer) {
        List<Statement> out = new ArrayList<>();
        writer.accept(out);
        return out;
    }

    /** A change written as one statement that may run in a transaction. */
    private static List<Statement> one(Change c, String sql) {
        return List.of(new Statement(sql, c, true));
    }

    static void add(List<Statement> out, Change c, String sql) {
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

    static String alter(Change.TableRef t, Column c) {
        return "ALTER TABLE " + Sql.table(t) + " ALTER COLUMN " + Sql.q(c.name());
    }

    private static String dropConstraint(Change.TableRef t, String name, String end) {
        return "ALTER TABLE " + Sql.table(t) + " DROP CONSTRAINT " + Sql.q(name) + ";" + end;
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
