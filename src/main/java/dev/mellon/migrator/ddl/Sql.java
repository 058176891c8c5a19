package dev.mellon.migrator.ddl;

import dev.mellon.migrator.schema.SqlNames;
import dev.mellon.migrator.diff.Change;
import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.Index;
import dev.mellon.migrator.schema.Literal;
import dev.mellon.migrator.schema.SchemaObjects;
import dev.mellon.migrator.schema.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pieces of SQL text drizzle-kit writes: quoting, qualification, column clauses, keys, indexes,
 * policies. Two of drizzle-kit's bugs are fixed here on purpose: an embedded {@code "} in an identifier is doubled,
 * and an embedded {@code '} in an enum value added with ADD VALUE is doubled.
 */
final class Sql {

    /**
     * Types drizzle-kit prints bare: those whose name starts with one of these (its own test); anything
     * else is quoted as an identifier, {@code "bytea"} and {@code "inet"} included (valid: their names are lower case).
     */
    private static final List<String> NATIVE_TYPE_PREFIXES = List.of("uuid", "smallint", "integer", "bigint", "boolean",
            "text", "varchar", "serial", "bigserial", "decimal", "numeric", "real", "json", "jsonb", "time", "timestamp",
            "date", "interval", "double precision", "char", "vector", "geometry", "halfvec", "sparsevec", "bit");
    private static final Set<String> BUILT_IN_ROLES = Set.of("public", "current_role", "current_user", "session_user");

    private Sql() {
    }

    /** A double-quoted identifier, embedded quotes doubled (drizzle-kit itself does not double them). */
    static String q(String identifier) {
        return SqlNames.quote(identifier);
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** Public tables unqualified, others qualified, as drizzle-kit writes them. */
    static String table(Change.TableRef t) {
        return t.schema().equals("public") ? q(t.name()) : q(t.schema()) + "." + q(t.name());
    }

    static String table(Table t) {
        return table(Change.TableRef.of(t));
    }

    static String qualified(String schema, String name) {
        return q(schema) + "." + q(name);
    }

    static String createTable(Table t) {
        List<String> lines = new ArrayList<>();
        for (Column c : t.columns().values()) {
            lines.add("\t" + column(c, Change.TableRef.of(t)));
        }
        t.compositePrimaryKeys().values().forEach(pk -> lines.add("\tCONSTRAINT " + q(pk.name()) + " PRIMARY KEY(" + columns(pk.columns()) + ")"));
        t.uniqueConstraints().values().stream().filter(u -> !onPrimaryKeyColumns(t, u)).forEach(u -> lines.add("\tCONSTRAINT "
                + q(u.name()) + " UNIQUE" + (u.nullsNotDistinct() ? " NULLS NOT DISTINCT" : "") + "(" + columns(u.columns()) + ")"));
        t.checkConstraints().values().forEach(c -> lines.add("\tCONSTRAINT " + q(c.name()) + " CHECK (" + c.value() + ")"));
        return "CREATE TABLE " + table(t) + " (\n" + String.join(",\n", lines) + "\n);\n";
    }

    /**
     * A unique constraint on exactly the primary key's columns: inside a CREATE TABLE, PostgreSQL merges the two into
     * one primary key named after the unique constraint, so such a unique is added after the table instead.
     */
    static boolean onPrimaryKeyColumns(Table t, Constraints.Unique u) {
        java.util.Set<String> key = new java.util.HashSet<>();
        t.columns().values().stream().filter(Column::primaryKey).forEach(c -> key.add(c.name()));
        t.compositePrimaryKeys().values().forEach(pk -> key.addAll(pk.columns()));
        return !key.isEmpty() && key.equals(new java.util.HashSet<>(u.columns()));
    }

    static String addUnique(Change.TableRef t, Constraints.Unique u) {
        return "ALTER TABLE " + table(t) + " ADD CONSTRAINT " + q(u.name()) + " UNIQUE" + (u.nullsNotDistinct() ? " NULLS NOT DISTINCT" : "")
                + "(" + columns(u.columns()) + ");";
    }

    /**
     * {@code "col" type [PRIMARY KEY] [DEFAULT x] [GENERATED ALWAYS AS (expr) STORED] [NOT NULL] [identity]}, as in a
     * CREATE TABLE, where drizzle-kit leaves out the NOT NULL an identity implies.
     */
    static String column(Column c, Change.TableRef t) {
        return column(c, t, false);
    }

    /** The same clause in ADD COLUMN, where drizzle-kit writes NOT NULL before an identity too. */
    static String addedColumn(Column c, Change.TableRef t) {
        return column(c, t, true);
    }

    private static String column(Column c, Change.TableRef t, boolean identityNotNull) {
        StringBuilder sql = new StringBuilder(q(c.name())).append(' ').append(type(c));
        if (c.primaryKey()) {
            sql.append(" PRIMARY KEY");
        }
        Literal d = c.defaultValue();
        if (d != null) {
            sql.append(" DEFAULT ").append(defaultValue(c));
        }
        if (c.generated() != null) {
            sql.append(" GENERATED ALWAYS AS (").append(c.generated().as()).append(") STORED");
        }
        if (c.notNull() && (c.identity() == null || identityNotNull)) {
            sql.append(" NOT NULL");
        }
        if (c.identity() != null) {
            sql.append(' ').append(identity(c.identity(), t));
        }
        return sql.toString();
    }

    private static final java.util.regex.Pattern QUOTED_LITERAL =
            java.util.regex.Pattern.compile("'(.*)'((?:::[A-Za-z0-9_\" .\\[\\]()]+)?)", java.util.regex.Pattern.DOTALL);

    /**
     * A column's default as SQL. drizzle-kit writes json and array defaults into the snapshot without doubling the
     * quotes inside ({@code '{"s":"it's"}'::jsonb}), which is not valid SQL; such a literal gets its quotes doubled
     * here, and an array's elements their escapes.
     */
    static String defaultValue(Column c) {
        Literal d = c.defaultValue();
        String sql = d.sql();
        if (d.kind() != Literal.Kind.STRING) {
            return sql;
        }
        java.util.regex.Matcher m = QUOTED_LITERAL.matcher(sql);
        // Only a json document or an array literal: '{…}' or '[…]'; an expression like 'a' || 'b' is left alone.
        if (!m.matches() || !(m.group(1).startsWith("{") || m.group(1).startsWith("["))) {
            return sql;
        }
        String body = m.group(1).replace("''", "'");
        String fixed = c.type().endsWith("]") ? arrayElementsEscaped(body) : body;
        if (fixed.equals(body) && !hasLoneQuote(m.group(1))) {
            return sql;
        }
        return literal(fixed) + m.group(2);
    }

    /**
     * drizzle-orm writes an array default as {@code {"a","b"}} without escaping a {@code "} inside an element, which
     * PostgreSQL refuses ("malformed array literal"); such a quote gets its backslash here. Text that is not a list of
     * quoted elements is returned as it is.
     */
    static String arrayElementsEscaped(String body) {
        if (!body.startsWith("{\"") || !body.endsWith("\"}") || body.length() < 4) {
            return body;
        }
        String[] elements = body.substring(2, body.length() - 2).split("\",\"", -1);
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < elements.length; i++) {
            StringBuilder element = new StringBuilder();
            String e = elements[i];
            for (int j = 0; j < e.length(); j++) {
                char c = e.charAt(j);
                if (c == '\\' && j + 1 < e.length()) {
                    element.append(c).append(e.charAt(++j));
                } else if (c == '"') {
                    element.append("\\\"");
                } else {
                    element.append(c);
                }
            }
            out.append(i == 0 ? "" : ",").append('"').append(element).append('"');
        }
        return out.append('}').toString();
    }

    /** True when the text holds a {@code '} that is not half of a doubled {@code ''}. */
    private static boolean hasLoneQuote(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\'') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code GENERATED ALWAYS AS IDENTITY (sequence name "t_id_seq" INCREMENT BY 1 …)}. */
    static String identity(Column.Identity i, Change.TableRef t) {
        String sequence = i.name() == null ? null
                : t.schema().equals("public") ? q(i.name()) : q(t.schema()) + "." + q(i.name());
        return "GENERATED " + ("always".equals(i.type()) ? "ALWAYS" : "BY DEFAULT") + " AS IDENTITY ("
                + (sequence == null ? "" : "sequence name " + sequence)
                + sequenceOptions(i.increment(), i.minValue(), i.maxValue(), i.startWith(), i.cache(), Boolean.TRUE.equals(i.cycle()))
                + ")";
    }

    /** A column's type as drizzle-kit prints it: enums qualified unless public, non-native types quoted. */
    static String type(Column c) {
        String base = c.type().replace("[]", "");
        String suffix = c.type().substring(base.length());
        if (c.typeSchema() != null) {
            return (c.typeSchema().equals("public") ? "" : q(c.typeSchema()) + ".") + q(base) + suffix;
        }
        String lower = c.type().toLowerCase(Locale.ROOT);
        return NATIVE_TYPE_PREFIXES.stream().anyMatch(lower::startsWith) ? c.type() : q(base) + suffix;
    }

    /** An enum type always qualified, as in casts: {@code "public"."role"}. */
    static String enumType(Column c) {
        String base = c.type().replace("[]", "");
        return qualified(c.typeSchema(), base) + c.type().substring(base.length());
    }

    static String sequenceOptions(String increment, String min, String max, String start, String cache, boolean cycle) {
        StringBuilder sql = new StringBuilder();
        append(sql, " INCREMENT BY ", increment);
        append(sql, " MINVALUE ", min);
        append(sql, " MAXVALUE ", max);
        append(sql, " START WITH ", start);
        append(sql, " CACHE ", cache);
        if (cycle) {
            sql.append(" CYCLE");
        }
        return sql.toString();
    }

    private static void append(StringBuilder sql, String clause, String value) {
        if (value != null) {
            sql.append(clause).append(value);
        }
    }

    static String foreignKey(Change.TableRef t, Constraints.ForeignKey fk, boolean notValid) {
        String schemaTo = fk.schemaTo() == null ? "public" : fk.schemaTo();
        return "ALTER TABLE " + table(t) + " ADD CONSTRAINT " + q(fk.name()) + " FOREIGN KEY (" + columns(fk.columnsFrom())
                + ") REFERENCES " + q(schemaTo) + "." + q(fk.tableTo()) + "(" + columns(fk.columnsTo()) + ") ON DELETE "
                + (fk.onDelete() == null ? "no action" : fk.onDelete()) + " ON UPDATE "
                + (fk.onUpdate() == null ? "no action" : fk.onUpdate()) + (notValid ? " NOT VALID" : "") + ";";
    }

    static String index(Change.TableRef t, Index i, boolean concurrently) {
        String keys = i.columns().stream().map(c -> {
            String key = c.isExpression() ? c.expression() : q(c.expression());
            if (c.opclass() != null) {
                return key + " " + c.opclass();
            }
            return key + (c.asc() ? "" : " DESC") + (c.asc() && "last".equals(c.nulls()) || c.nulls() == null ? ""
                    : " NULLS " + c.nulls().toUpperCase(Locale.ROOT));
        }).collect(Collectors.joining(","));
        String with = i.with().isEmpty() ? "" : " WITH (" + i.with().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().text()).collect(Collectors.joining(",")) + ")";
        return "CREATE " + (i.isUnique() ? "UNIQUE " : "") + "INDEX " + (concurrently ? "CONCURRENTLY " : "") + q(i.name())
                + " ON " + table(t) + " USING " + (i.method() == null ? "btree" : i.method()) + " (" + keys + ")" + with
                + (i.where() == null ? "" : " WHERE " + i.where()) + ";";
    }

    static String dropIndex(Change.TableRef t, Index i, boolean concurrently) {
        return "DROP INDEX " + (concurrently ? "CONCURRENTLY " : "")
                + (t.schema().equals("public") ? q(i.name()) : qualified(t.schema(), i.name())) + ";";
    }

    static String roles(Constraints.Policy p) {
        List<String> roles = p.to() == null || p.to().isEmpty() ? List.of("public") : p.to();
        return roles.stream().map(r -> BUILT_IN_ROLES.contains(r) ? r : q(r)).collect(Collectors.joining(", "));
    }

    static String createPolicy(Change.TableRef t, Constraints.Policy p) {
        return "CREATE POLICY " + q(p.name()) + " ON " + table(t) + " AS " + (p.as() == null ? "PERMISSIVE" : p.as()) + " FOR "
                + (p.forCommand() == null ? "ALL" : p.forCommand()) + " TO " + roles(p)
                + (p.using() == null ? "" : " USING (" + p.using() + ")")
                + (p.withCheck() == null ? "" : " WITH CHECK (" + p.withCheck() + ")") + ";";
    }

    static String createView(SchemaObjects.View v) {
        String with = "";
        if (v.with() != null && !v.with().isEmpty()) {
            with = " WITH (" + v.with().entrySet().stream().map(e -> snake(e.getKey()) + " = " + e.getValue().text())
                    .collect(Collectors.joining(", ")) + ")";
        }
        return "CREATE " + (v.materialized() ? "MATERIALIZED " : "") + "VIEW " + qualified(v.schema(), v.name()) + with + " AS ("
                + v.definition().strip().replaceAll(";$", "") + ")"
                + (v.materialized() && Boolean.TRUE.equals(v.withNoData()) ? " WITH NO DATA" : "") + ";";
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    static String columns(List<String> names) {
        return names.stream().map(Sql::q).collect(Collectors.joining(","));
    }
}
