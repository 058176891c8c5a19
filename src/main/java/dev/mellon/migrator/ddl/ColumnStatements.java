package dev.mellon.migrator.ddl;

import dev.mellon.migrator.diff.Change;
import dev.mellon.migrator.diff.Identifiers;
import dev.mellon.migrator.diff.TypeCasts;
import dev.mellon.migrator.schema.Column;

import java.util.List;

import static dev.mellon.migrator.ddl.MigrationWriter.add;
import static dev.mellon.migrator.ddl.MigrationWriter.alter;

/** The statements of changes to one column: added, or one of its attributes altered. */
final class ColumnStatements {

    private final boolean online;

    ColumnStatements(boolean online) {
        this.online = online;
    }

    void added(Change.AddColumn a, List<Statement> out) {
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

    void type(Change.AlterColumnType cc, List<Statement> out) {
        Column from = cc.from();
        Column to = cc.to();
        Change.TableRef t = cc.table();
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
    }

    void defaultValue(Change.AlterColumnDefault cc, List<Statement> out) {
        Column to = cc.to();
        Change.TableRef t = cc.table();
        add(out, cc, alter(t, to) + (to.defaultValue() == null ? " DROP DEFAULT;" : " SET DEFAULT " + Sql.defaultValue(to) + ";"));
    }

    void notNull(Change.AlterColumnNotNull cc, List<Statement> out) {
        Column to = cc.to();
        Change.TableRef t = cc.table();
        if (!to.notNull()) {
            add(out, cc, alter(t, to) + " DROP NOT NULL;");
        } else if (online) {
            setNotNullOnline(cc, t, to, out);
        } else {
            add(out, cc, alter(t, to) + " SET NOT NULL;");
        }
    }

    void identity(Change.AlterColumnIdentity cc, List<Statement> out) {
        alterIdentity(cc.table(), cc.from(), cc.to(), cc, out);
    }

    void generated(Change.AlterColumnGenerated cc, List<Statement> out) {
        Column from = cc.from();
        Column to = cc.to();
        Change.TableRef t = cc.table();
        if (to.generated() == null) {
            add(out, cc, alter(t, to) + " DROP EXPRESSION;");
        } else {
            // PostgreSQL cannot change a generation expression in place (before 17): the column is recomputed.
            // drizzle-kit spells this one in lower case.
            add(out, cc, "ALTER TABLE " + Sql.table(t) + " drop column " + Sql.q(from.name()) + ";");
            add(out, cc, "ALTER TABLE " + Sql.table(t) + " ADD COLUMN " + Sql.addedColumn(to, t) + ";");
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
}
