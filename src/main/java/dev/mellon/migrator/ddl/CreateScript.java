package dev.mellon.migrator.ddl;

import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.Index;
import dev.mellon.migrator.schema.Literal;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SchemaObjects;
import dev.mellon.migrator.schema.Table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CREATE script of a whole schema, as {@code drizzle-kit export} would print it: schemas, enums, sequences,
 * tables, row-level security, foreign keys, indexes, views, policies; each group in name order.
 */
public final class CreateScript {

    /** Types drizzle-kit prints bare; anything else is quoted as an identifier (spec §5.2). */
    private static final Set<String> BUILT_IN_PREFIXES = Set.of("smallint", "integer", "bigint", "serial", "bigserial",
            "real", "double precision", "numeric", "decimal", "boolean", "text", "varchar", "char", "uuid", "json", "jsonb",
            "date", "time", "timestamp", "interval", "bytea", "vector", "geometry", "halfvec", "sparsevec", "bit");

    private CreateScript() {
    }

    public static List<String> statements(SchemaModel model) {
        List<String> out = new ArrayList<>();
        sorted(model.schemas().keySet()).forEach(s -> out.add("CREATE SCHEMA " + q(s) + ";\n"));
        model.enums().values().stream().sorted(Comparator.comparing(SchemaObjects.EnumType::name)).forEach(e -> out.add(
                "CREATE TYPE " + q(e.schema()) + "." + q(e.name()) + " AS ENUM("
                        + e.values().stream().map(CreateScript::literal).collect(Collectors.joining(", ")) + ");"));
        model.sequences().values().stream().sorted(Comparator.comparing(SchemaObjects.Sequence::name)).forEach(s -> out.add(
                "CREATE SEQUENCE " + q(s.schema()) + "." + q(s.name()) + sequenceOptions(s.increment(), s.minValue(),
                        s.maxValue(), s.startWith(), s.cache(), s.cycle()) + ";"));
        List<Table> tables = model.tables().values().stream().sorted(Comparator.comparing(Table::name)).toList();
        tables.forEach(t -> out.add(createTable(t)));
        tables.stream().filter(t -> t.isRLSEnabled() || !t.policies().isEmpty())
                .forEach(t -> out.add("ALTER TABLE " + table(t) + " ENABLE ROW LEVEL SECURITY;"));
        for (Table t : tables) {
            t.foreignKeys().values().stream().sorted(Comparator.comparing(Constraints.ForeignKey::name))
                    .forEach(fk -> out.add(foreignKey(t, fk)));
        }
        for (Table t : tables) {
            t.indexes().values().stream().sorted(Comparator.comparing(Index::name)).forEach(i -> out.add(index(t, i)));
        }
        model.views().values().stream().filter(v -> !v.isExisting()).sorted(Comparator.comparing(SchemaObjects.View::name))
                .forEach(v -> out.add("CREATE " + (v.materialized() ? "MATERIALIZED " : "") + "VIEW " + q(v.schema()) + "."
                        + q(v.name()) + " AS (" + v.definition().strip().replaceAll(";$", "") + ");"));
        for (Table t : tables) {
            t.policies().values().stream().sorted(Comparator.comparing(Constraints.Policy::name))
                    .forEach(p -> out.add(policy(table(t), p)));
        }
        return out;
    }

    /** The statements joined as drizzle-kit joins a migration file's. */
    public static String script(SchemaModel model) {
        return String.join("--> statement-breakpoint\n", statements(model));
    }

    private static String createTable(Table t) {
        List<String> lines = new ArrayList<>();
        for (Column c : t.columns().values()) {
            lines.add("\t" + column(c, t));
        }
        t.compositePrimaryKeys().values().forEach(pk -> lines.add("\tCONSTRAINT " + q(pk.name()) + " PRIMARY KEY(" + columns(pk.columns()) + ")"));
        t.uniqueConstraints().values().forEach(u -> lines.add("\tCONSTRAINT " + q(u.name()) + " UNIQUE"
                + (u.nullsNotDistinct() ? " NULLS NOT DISTINCT" : "") + "(" + columns(u.columns()) + ")"));
        t.checkConstraints().values().forEach(c -> lines.add("\tCONSTRAINT " + q(c.name()) + " CHECK (" + c.value() + ")"));
        return "CREATE TABLE " + table(t) + " (\n" + String.join(",\n", lines) + "\n);\n";
    }

    private static String column(Column c, Table t) {
        StringBuilder sql = new StringBuilder(q(c.name())).append(' ').append(type(c));
        if (c.primaryKey()) {
            sql.append(" PRIMARY KEY");
        }
        Literal d = c.defaultValue();
        if (d != null) {
            sql.append(" DEFAULT ").append(d.sql());
        }
        if (c.generated() != null) {
            sql.append(" GENERATED ALWAYS AS (").append(c.generated().as()).append(") STORED");
        }
        Column.Identity i = c.identity();
        if (c.notNull() && i == null) {
            sql.append(" NOT NULL");
        }
        if (i != null) {
            String sequence = i.name() == null ? null
                    : (t.schemaName().equals("public") ? q(i.name()) : q(t.schemaName()) + "." + q(i.name()));
            sql.append(" GENERATED ").append("always".equals(i.type()) ? "ALWAYS" : "BY DEFAULT").append(" AS IDENTITY (")
                    .append(sequence == null ? "" : "sequence name " + sequence)
                    .append(sequenceOptions(i.increment(), i.minValue(), i.maxValue(), i.startWith(), i.cache(), Boolean.TRUE.equals(i.cycle())))
                    .append(')');
        }
        return sql.toString();
    }

    private static String type(Column c) {
        if (c.typeSchema() != null) {
            String base = c.type().replace("[]", "");
            String suffix = c.type().substring(base.length());
            return (c.typeSchema().equals("public") ? "" : q(c.typeSchema()) + ".") + q(base) + suffix;
        }
        String lower = c.type().toLowerCase(java.util.Locale.ROOT);
        boolean builtIn = BUILT_IN_PREFIXES.stream().anyMatch(p -> lower.equals(p) || lower.startsWith(p + "(")
                || lower.startsWith(p + " ") || lower.startsWith(p + "["));
        return builtIn ? c.type() : q(c.type().replace("[]", "")) + c.type().substring(c.type().replace("[]", "").length());
    }

    private static String sequenceOptions(String increment, String min, String max, String start, String cache, boolean cycle) {
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

    private static String foreignKey(Table t, Constraints.ForeignKey fk) {
        String schemaTo = fk.schemaTo() == null ? "public" : fk.schemaTo();
        return "ALTER TABLE " + table(t) + " ADD CONSTRAINT " + q(fk.name()) + " FOREIGN KEY (" + columns(fk.columnsFrom())
                + ") REFERENCES " + q(schemaTo) + "." + q(fk.tableTo()) + "(" + columns(fk.columnsTo()) + ") ON DELETE "
                + (fk.onDelete() == null ? "no action" : fk.onDelete()) + " ON UPDATE "
                + (fk.onUpdate() == null ? "no action" : fk.onUpdate()) + ";";
    }

    private static String index(Table t, Index i) {
        String keys = i.columns().stream().map(c -> {
            String key = c.isExpression() ? c.expression() : q(c.expression());
            if (c.opclass() != null) {
                return key + " " + c.opclass();
            }
            return key + (c.asc() ? "" : " DESC") + (c.asc() && "last".equals(c.nulls()) || c.nulls() == null ? ""
                    : " NULLS " + c.nulls().toUpperCase(java.util.Locale.ROOT));
        }).collect(Collectors.joining(","));
        String with = i.with().isEmpty() ? "" : " WITH (" + i.with().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().text()).collect(Collectors.joining(", ")) + ")";
        return "CREATE " + (i.isUnique() ? "UNIQUE " : "") + "INDEX " + (i.concurrently() ? "CONCURRENTLY " : "") + q(i.name())
                + " ON " + table(t) + " USING " + (i.method() == null ? "btree" : i.method()) + " (" + keys + ")" + with
                + (i.where() == null ? "" : " WHERE " + i.where()) + ";";
    }

    private static String policy(String table, Constraints.Policy p) {
        List<String> roles = p.to() == null ? List.of("public") : p.to();
        String to = roles.stream().map(r -> Set.of("public", "current_role", "current_user", "session_user").contains(r) ? r : q(r))
                .collect(Collectors.joining(", "));
        return "CREATE POLICY " + q(p.name()) + " ON " + table + " AS " + (p.as() == null ? "PERMISSIVE" : p.as()) + " FOR "
                + (p.forCommand() == null ? "ALL" : p.forCommand()) + " TO " + to
                + (p.using() == null ? "" : " USING (" + p.using() + ")")
                + (p.withCheck() == null ? "" : " WITH CHECK (" + p.withCheck() + ")") + ";";
    }

    /** Public tables unqualified, others qualified, as drizzle-kit writes them. */
    private static String table(Table t) {
        return t.schemaName().equals("public") ? q(t.name()) : q(t.schemaName()) + "." + q(t.name());
    }

    private static String columns(List<String> names) {
        return names.stream().map(CreateScript::q).collect(Collectors.joining(","));
    }

    /** A double-quoted identifier, embedded quotes doubled (drizzle-kit itself does not double them). */
    static String q(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
