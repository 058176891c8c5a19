package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.Index;
import dev.mellon.migrator.schema.Literal;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SchemaObjects;
import dev.mellon.migrator.schema.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Names every difference between an expected schema (a snapshot) and an actual one (usually the live database), each
 * once: a missing table is one difference, not one per column. Things PostgreSQL does not keep (an index's
 * {@code concurrently} flag, snapshot key order) are not compared.
 */
public final class SchemaDiff {

    private SchemaDiff() {
    }

    public static List<Difference> compare(SchemaModel expected, SchemaModel actual) {
        List<Difference> out = new ArrayList<>();
        keyed("schema", expected.schemas(), actual.schemas(), out, (name, pair) -> { });
        // Values are compared as sets, as drizzle-kit compares them: ADD VALUE appends, so the order in the database
        // legitimately differs from the order declared in the TypeScript schema.
        keyed("enum", expected.enums(), actual.enums(), out, (name, pair) -> {
            if (!new java.util.HashSet<>(pair.expected().values()).equals(new java.util.HashSet<>(pair.actual().values()))) {
                out.add(Difference.changed("enum", name, "values", pair.expected().values(), pair.actual().values()));
            }
        });
        keyed("sequence", expected.sequences(), actual.sequences(), out, (name, pair) -> sequence(name, pair, out));
        keyed("table", expected.tables(), actual.tables(), out,
                (name, pair) -> table(name, inlinePrimaryKey(pair.expected()), inlinePrimaryKey(pair.actual()), out));
        keyed("view", expected.views(), actual.views(), out, (name, pair) -> {
            SchemaObjects.View e = pair.expected();
            SchemaObjects.View a = pair.actual();
            if (e.materialized() != a.materialized()) {
                out.add(Difference.changed("view", name, "materialized", e.materialized(), a.materialized()));
            }
            if (!e.isExisting() && e.definition() != null && !Expressions.same(e.definition(), a.definition())) {
                out.add(Difference.changed("view", name, "definition", e.definition(), a.definition()));
            }
        });
        return out;
    }

    private record Pair<T>(T expected, T actual) {
    }

    private static <T> void keyed(String kind, Map<String, T> expected, Map<String, T> actual, List<Difference> out,
                                  BiConsumer<String, Pair<T>> both) {
        keyed(kind, "", expected, actual, out, both);
    }

    /**
     * Reports objects on one side only, and hands objects on both sides to {@code both}, keys compared sorted and
     * qualified with {@code prefix}. Expected names are cut to 63 bytes first, as PostgreSQL cuts identifiers.
     */
    private static <T> void keyed(String kind, String prefix, Map<String, T> expected, Map<String, T> actual,
                                  List<Difference> out, BiConsumer<String, Pair<T>> both) {
        TreeMap<String, T> e = new TreeMap<>();
        expected.forEach((k, v) -> e.put(Identifiers.truncateQualified(k), v));
        TreeMap<String, T> a = new TreeMap<>(actual);
        for (Map.Entry<String, T> entry : e.entrySet()) {
            T other = a.get(entry.getKey());
            if (other == null) {
                out.add(Difference.missing(kind, prefix + entry.getKey()));
            } else {
                both.accept(prefix + entry.getKey(), new Pair<>(entry.getValue(), other));
            }
        }
        for (String key : a.keySet()) {
            if (!e.containsKey(key)) {
                out.add(Difference.unexpected(kind, prefix + key));
            }
        }
    }

    private static void sequence(String name, Pair<SchemaObjects.Sequence> pair, List<Difference> out) {
        SchemaObjects.Sequence e = pair.expected();
        SchemaObjects.Sequence a = pair.actual();
        attribute(out, "sequence", name, "increment", e.increment(), a.increment());
        attribute(out, "sequence", name, "startWith", e.startWith(), a.startWith());
        attribute(out, "sequence", name, "minValue", e.minValue(), a.minValue());
        attribute(out, "sequence", name, "maxValue", e.maxValue(), a.maxValue());
        attribute(out, "sequence", name, "cache", e.cache(), a.cache());
        attribute(out, "sequence", name, "cycle", e.cycle(), a.cycle());
    }

    private static void table(String name, Table e, Table a, List<Difference> out) {
        String prefix = name + ".";
        keyed("column", prefix, e.columns(), a.columns(), out, (c, pair) -> column(c, pair.expected(), pair.actual(), out));
        keyed("index", prefix, e.indexes(), a.indexes(), out, (i, pair) -> index(i, pair.expected(), pair.actual(), out));
        keyed("foreignKey", prefix, e.foreignKeys(), a.foreignKeys(), out, (fk, pair) -> {
            Constraints.ForeignKey x = pair.expected();
            Constraints.ForeignKey y = pair.actual();
            attribute(out, "foreignKey", fk, "references", target(x), target(y));
            attribute(out, "foreignKey", fk, "columnsFrom", x.columnsFrom(), y.columnsFrom());
            attribute(out, "foreignKey", fk, "onDelete", action(x.onDelete()), action(y.onDelete()));
            attribute(out, "foreignKey", fk, "onUpdate", action(x.onUpdate()), action(y.onUpdate()));
        });
        keyed("primaryKey", prefix, e.compositePrimaryKeys(), a.compositePrimaryKeys(), out, (k, pair) ->
                attribute(out, "primaryKey", k, "columns", pair.expected().columns(), pair.actual().columns()));
        keyed("unique", prefix, e.uniqueConstraints(), a.uniqueConstraints(), out, (u, pair) -> {
            attribute(out, "unique", u, "columns", pair.expected().columns(), pair.actual().columns());
            attribute(out, "unique", u, "nullsNotDistinct", pair.expected().nullsNotDistinct(), pair.actual().nullsNotDistinct());
        });
        keyed("check", prefix, e.checkConstraints(), a.checkConstraints(), out, (c, pair) ->
                expression(out, "check", c, "value", pair.expected().value(), pair.actual().value()));
        keyed("policy", prefix, e.policies(), a.policies(), out, (p, pair) -> policy(p, pair.expected(), pair.actual(), out));
        // drizzle records isRLSEnabled only for .enableRLS(); a table with policies has RLS on regardless.
        boolean expectedRls = e.isRLSEnabled() || !e.policies().isEmpty();
        if (expectedRls != a.isRLSEnabled()) {
            out.add(Difference.changed("table", name, "rowLevelSecurity", expectedRls, a.isRLSEnabled()));
        }
    }

    private static void column(String name, Column e, Column a, List<Difference> out) {
        if (!Expressions.normalizeType(e.type()).equals(Expressions.normalizeType(a.type()))
                || (e.typeSchema() != null && a.typeSchema() != null && !e.typeSchema().equals(a.typeSchema()))) {
            out.add(Difference.changed("column", name, "type", qualifiedType(e), qualifiedType(a)));
        }
        if (e.notNull() != a.notNull()) {
            out.add(Difference.changed("column", name, "notNull", e.notNull(), a.notNull()));
        }
        if (e.primaryKey() != a.primaryKey()) {
            out.add(Difference.changed("column", name, "primaryKey", e.primaryKey(), a.primaryKey()));
        }
        expression(out, "column", name, "default", sql(e.defaultValue()), sql(a.defaultValue()));
        expression(out, "column", name, "generated", e.generated() == null ? null : e.generated().as(),
                a.generated() == null ? null : a.generated().as());
        Column.Identity x = e.identity();
        Column.Identity y = a.identity();
        if ((x == null) != (y == null)) {
            out.add(Difference.changed("column", name, "identity", x == null ? null : x.type(), y == null ? null : y.type()));
        } else if (x != null) {
            attribute(out, "column", name, "identity", x.type(), y.type());
            attribute(out, "column", name, "identity.increment", x.increment(), y.increment());
            attribute(out, "column", name, "identity.startWith", x.startWith(), y.startWith());
            attribute(out, "column", name, "identity.minValue", x.minValue(), y.minValue());
            attribute(out, "column", name, "identity.maxValue", x.maxValue(), y.maxValue());
            attribute(out, "column", name, "identity.cache", x.cache(), y.cache());
            attribute(out, "column", name, "identity.cycle", Boolean.TRUE.equals(x.cycle()), Boolean.TRUE.equals(y.cycle()));
        }
    }

    private static void index(String name, Index e, Index a, List<Difference> out) {
        attribute(out, "index", name, "isUnique", e.isUnique(), a.isUnique());
        attribute(out, "index", name, "method", e.method(), a.method());
        attribute(out, "index", name, "columns", keys(e), keys(a));
        expression(out, "index", name, "where", e.where(), a.where());
        attribute(out, "index", name, "with", with(e.with()), with(a.with()));
    }

    private static void policy(String name, Constraints.Policy e, Constraints.Policy a, List<Difference> out) {
        attribute(out, "policy", name, "as", orDefault(e.as(), "PERMISSIVE"), orDefault(a.as(), "PERMISSIVE"));
        attribute(out, "policy", name, "for", orDefault(e.forCommand(), "ALL"), orDefault(a.forCommand(), "ALL"));
        attribute(out, "policy", name, "to", e.to() == null ? List.of("public") : e.to().stream().sorted().toList(),
                a.to() == null ? List.of("public") : a.to().stream().sorted().toList());
        expression(out, "policy", name, "using", e.using(), a.using());
        expression(out, "policy", name, "withCheck", e.withCheck(), a.withCheck());
    }

    /**
     * An index's keys as one comparison text. A plain key is spelled the way a hand-written expression key would be
     * ({@code created_at DESC NULLS LAST}), so that the two forms drizzle snapshots use for the same index compare
     * equal. NULLS is spelled only where it differs from PostgreSQL's default (LAST for ASC, FIRST for DESC).
     */
    private static String keys(Index index) {
        return index.columns().stream().map(c -> c.isExpression() ? Expressions.normalize(c.expression())
                        : Expressions.normalize("\"" + c.expression().replace("\"", "\"\"") + "\""
                                + (c.asc() ? "" : " desc")
                                + (c.asc() == "last".equals(orDefault(c.nulls(), "last")) ? "" : " nulls " + c.nulls())
                                + (c.opclass() == null ? "" : " " + c.opclass())))
                .collect(Collectors.joining(", "));
    }

    /**
     * A one-column primary key is the same key whether drizzle wrote it inline ({@code primaryKey: true}) or named
     * ({@code compositePrimaryKeys}), and PostgreSQL keeps the old name of a renamed table's key: compare them as
     * the column flag.
     */
    private static Table inlinePrimaryKey(Table t) {
        Map<String, Constraints.PrimaryKey> composite = new java.util.LinkedHashMap<>();
        Map<String, Column> columns = new java.util.LinkedHashMap<>(t.columns());
        for (Map.Entry<String, Constraints.PrimaryKey> pk : t.compositePrimaryKeys().entrySet()) {
            List<String> keyColumns = pk.getValue().columns();
            Column column = keyColumns.size() == 1 ? columns.get(keyColumns.get(0)) : null;
            if (column == null) {
                composite.put(pk.getKey(), pk.getValue());
            } else {
                columns.put(column.name(), new Column(column.name(), column.type(), column.typeSchema(), true, column.notNull(),
                        column.defaultValue(), column.generated(), column.identity(), column.isUnique(), column.uniqueName(),
                        column.nullsNotDistinct()));
            }
        }
        return new Table(t.name(), t.schema(), columns, t.indexes(), t.foreignKeys(), composite, t.uniqueConstraints(),
                t.policies(), t.checkConstraints(), t.isRLSEnabled());
    }

    private static String with(Map<String, Literal> with) {
        return new TreeMap<>(with).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().text())
                .collect(Collectors.joining(", "));
    }

    private static String target(Constraints.ForeignKey fk) {
        return orDefault(fk.schemaTo(), "public") + "." + fk.tableTo() + fk.columnsTo();
    }

    private static String action(String action) {
        return orDefault(action, "no action").toLowerCase(java.util.Locale.ROOT);
    }

    private static String qualifiedType(Column c) {
        return c.typeSchema() == null ? c.type() : c.typeSchema() + "." + c.type();
    }

    /** A default of SQL NULL is no default. */
    private static String sql(Literal literal) {
        return literal == null || literal.sql().strip().equalsIgnoreCase("null") ? null : literal.sql();
    }

    private static String orDefault(String value, String otherwise) {
        return value == null ? otherwise : value;
    }

    private static void attribute(List<Difference> out, String kind, String name, String attribute, Object e, Object a) {
        if (!Objects.equals(e, a)) {
            out.add(Difference.changed(kind, name, attribute, e, a));
        }
    }

    private static void expression(List<Difference> out, String kind, String name, String attribute, String e, String a) {
        if (!Expressions.same(e, a)) {
            out.add(Difference.changed(kind, name, attribute, e, a));
        }
    }
}
