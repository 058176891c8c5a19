package dev.mellon.migrator.schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The schema model as drizzle-kit 1.0's entity rows, the inverse of {@link Format9Model}: grouped by entity type in
 * drizzle-kit's order (tables, enums, columns, indexes, foreign keys, primary keys, uniques, checks, sequences, roles,
 * policies, views), with its defaults for what format 7 leaves implicit (a one-column primary key named
 * {@code <table>_pkey}, {@code public} for the default schema, actions in upper case).
 */
public final class Format9Rows {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ORDER = List.of("schemas", "tables", "enums", "columns", "indexes", "fks", "pks", "uniques",
            "checks", "sequences", "roles", "policies", "views");

    private Format9Rows() {
    }

    /** The rows, keyed by entity key, in drizzle-kit's order. */
    public static Map<String, ObjectNode> of(SchemaModel model) {
        Map<String, List<ObjectNode>> byType = new LinkedHashMap<>();
        ORDER.forEach(t -> byType.put(t, new ArrayList<>()));
        model.schemas().keySet().forEach(name -> byType.get("schemas").add(row("schemas").put("name", name)));
        model.enums().values().forEach(e -> {
            ObjectNode row = row("enums").put("schema", e.schema()).put("name", e.name());
            ArrayNode values = row.putArray("values");
            e.values().forEach(values::add);
            byType.get("enums").add(row);
        });
        for (Table t : model.tables().values()) {
            String schema = t.schemaName();
            byType.get("tables").add(row("tables").put("schema", schema).put("name", t.name()).put("isRlsEnabled", t.isRLSEnabled()));
            List<String> inlinePk = new ArrayList<>();
            for (Column c : t.columns().values()) {
                byType.get("columns").add(column(schema, t.name(), c));
                if (c.primaryKey()) {
                    inlinePk.add(c.name());
                }
                if (Boolean.TRUE.equals(c.isUnique())) {
                    String name = c.uniqueName() != null ? c.uniqueName() : t.name() + "_" + c.name() + "_key";
                    byType.get("uniques").add(unique(schema, t.name(), name, List.of(c.name()), Boolean.TRUE.equals(c.nullsNotDistinct())));
                }
            }
            if (!inlinePk.isEmpty()) {
                byType.get("pks").add(pk(schema, t.name(), t.name() + "_pkey", inlinePk));
            }
            t.compositePrimaryKeys().values().forEach(pk -> byType.get("pks").add(pk(schema, t.name(), pk.name(), pk.columns())));
            t.uniqueConstraints().values().forEach(u -> byType.get("uniques").add(unique(schema, t.name(), u.name(), u.columns(),
                    u.nullsNotDistinct())));
            t.foreignKeys().values().forEach(fk -> byType.get("fks").add(foreignKey(schema, t.name(), fk)));
            t.indexes().values().forEach(i -> byType.get("indexes").add(index(schema, t.name(), i)));
            t.checkConstraints().values().forEach(c -> byType.get("checks").add(row("checks").put("schema", schema)
                    .put("table", t.name()).put("name", c.name()).put("value", c.value())));
            t.policies().values().forEach(p -> {
                ObjectNode row = row("policies").put("schema", schema).put("table", t.name()).put("name", p.name())
                        .put("as", upper(p.as(), "PERMISSIVE")).put("for", upper(p.forCommand(), "ALL"));
                ArrayNode roles = row.putArray("roles");
                (p.to() == null ? List.of("public") : p.to()).forEach(roles::add);
                row.put("using", p.using()).put("withCheck", p.withCheck());
                byType.get("policies").add(row);
            });
        }
        model.sequences().values().forEach(s -> {
            ObjectNode row = row("sequences").put("schema", s.schema()).put("name", s.name()).put("incrementBy", s.increment())
                    .put("minValue", s.minValue()).put("maxValue", s.maxValue()).put("startWith", s.startWith());
            row.set("cacheSize", number(s.cache()));
            byType.get("sequences").add(row.put("cycle", s.cycle()));
        });
        model.roles().values().forEach(r -> byType.get("roles").add(row("roles").put("name", r.name()).put("createDb", r.createDb())
                .put("createRole", r.createRole()).put("inherit", r.inherit())));
        model.views().values().forEach(v -> byType.get("views").add(row("views").put("schema", v.schema()).put("name", v.name())
                .put("definition", v.definition()).put("materialized", v.materialized())));
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        byType.values().forEach(rows -> rows.forEach(r -> {
            // The type comes last in drizzle-kit's rows.
            String type = r.remove("entityType").asText();
            r.put("entityType", type);
            out.put(Format9Snapshots.key(r, null), r);
        }));
        return out;
    }

    private static ObjectNode row(String type) {
        return JSON.createObjectNode().put("entityType", type);
    }

    private static ObjectNode column(String schema, String table, Column c) {
        String type = c.type();
        int dimensions = 0;
        while (type.endsWith("[]")) {
            type = type.substring(0, type.length() - 2);
            dimensions++;
        }
        ObjectNode row = row("columns").put("schema", schema).put("table", table).put("name", c.name()).put("type", type)
                .put("typeSchema", c.typeSchema()).put("notNull", c.notNull()).put("dimensions", dimensions)
                .put("default", c.defaultValue() == null ? null : c.defaultValue().text());
        if (c.generated() == null) {
            row.putNull("generated");
        } else {
            row.putObject("generated").put("type", c.generated().type()).put("as", c.generated().as());
        }
        if (c.identity() == null) {
            row.putNull("identity");
        } else {
            Column.Identity i = c.identity();
            ObjectNode identity = row.putObject("identity").put("name", i.name()).put("type", i.type())
                    .put("increment", i.increment()).put("minValue", i.minValue()).put("maxValue", i.maxValue())
                    .put("startWith", i.startWith());
            identity.set("cache", number(i.cache()));
            identity.put("cycle", i.cycle());
        }
        return row;
    }

    private static ObjectNode pk(String schema, String table, String name, List<String> columns) {
        ObjectNode row = row("pks").put("schema", schema).put("table", table).put("name", name);
        ArrayNode list = row.putArray("columns");
        columns.forEach(list::add);
        return row.put("nameExplicit", !name.equals(table + "_pkey"));
    }

    private static ObjectNode unique(String schema, String table, String name, List<String> columns, boolean nullsNotDistinct) {
        ObjectNode row = row("uniques").put("schema", schema).put("table", table).put("name", name)
                .put("nameExplicit", !name.equals(table + "_" + String.join("_", columns) + "_key"));
        ArrayNode list = row.putArray("columns");
        columns.forEach(list::add);
        return row.put("nullsNotDistinct", nullsNotDistinct);
    }

    private static ObjectNode foreignKey(String schema, String table, Constraints.ForeignKey fk) {
        String defaultName = table + "_" + String.join("_", fk.columnsFrom()) + "_" + fk.tableTo() + "_"
                + String.join("_", fk.columnsTo()) + "_fkey";
        ObjectNode row = row("fks").put("schema", schema).put("table", table).put("name", fk.name())
                .put("nameExplicit", !fk.name().equals(defaultName));
        ArrayNode from = row.putArray("columns");
        fk.columnsFrom().forEach(from::add);
        row.put("schemaTo", fk.schemaTo() == null || fk.schemaTo().isEmpty() ? "public" : fk.schemaTo()).put("tableTo", fk.tableTo());
        ArrayNode to = row.putArray("columnsTo");
        fk.columnsTo().forEach(to::add);
        return row.put("onUpdate", upper(fk.onUpdate(), "NO ACTION")).put("onDelete", upper(fk.onDelete(), "NO ACTION"));
    }

    private static ObjectNode index(String schema, String table, Index i) {
        ObjectNode row = row("indexes").put("schema", schema).put("table", table).put("name", i.name()).put("nameExplicit", true);
        ArrayNode columns = row.putArray("columns");
        for (Index.IndexColumn c : i.columns()) {
            ObjectNode column = columns.addObject().put("value", c.expression()).put("isExpression", c.isExpression())
                    .put("asc", c.asc()).put("nullsFirst", "first".equals(c.nulls()));
            if (c.opclass() == null) {
                column.putNull("opclass");
            } else {
                column.putObject("opclass").put("name", c.opclass()).put("default", false);
            }
        }
        List<String> with = new ArrayList<>();
        i.with().forEach((k, v) -> with.add(k + "=" + v.text()));
        return row.put("isUnique", i.isUnique()).put("where", i.where()).put("with", String.join(", ", with))
                .put("method", i.method() == null ? "btree" : i.method()).put("concurrently", i.concurrently());
    }

    /** A count format 7 keeps as text, as the number format 9 writes (or the text, where it is none). */
    private static com.fasterxml.jackson.databind.JsonNode number(String text) {
        if (text == null) {
            return JSON.nullNode();
        }
        try {
            long value = Long.parseLong(text.strip());
            // As Jackson reads the same number from drizzle-kit's JSON, so that the two compare equal.
            return value == (int) value ? JSON.getNodeFactory().numberNode((int) value) : JSON.getNodeFactory().numberNode(value);
        } catch (NumberFormatException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    private static String upper(String value, String otherwise) {
        return value == null ? otherwise : value.toUpperCase(Locale.ROOT);
    }
}
