package dev.mellon.migrator.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads and writes Drizzle v7 PostgreSQL snapshots. Reading is as strict as drizzle-kit's zod schemas: an
 * unknown key, a wrong type or a version other than 7 is an error naming the file and the JSON pointer. Writing
 * produces drizzle-kit's bytes: its key order, {@code JSON.stringify(…, null, 2)} layout, no trailing newline.
 */
public final class SnapshotCodec {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    // ---------------------------------------------------------------------------------------------- reading

    public Snapshot read(String json, String file) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SnapshotException(file, null, "not valid JSON: " + e.getOriginalMessage());
        }
        return new Reader(file).snapshot(root);
    }

    private static final class Reader {
        private final String file;

        Reader(String file) {
            this.file = file;
        }

        Snapshot snapshot(JsonNode root) {
            object(root, "", Set.of("id", "prevId", "version", "dialect", "tables", "enums", "schemas", "sequences", "roles",
                    "policies", "views", "_meta", "internal"));
            String version = string(root, "", "version");
            if (!version.equals("7")) {
                String hint = version.equals("5") || version.equals("6") ? "; run drizzle-kit up to upgrade it to version 7"
                        : "; this service reads version 7";
                throw new SnapshotException(file, "/version", "unsupported snapshot version \"" + version + "\"" + hint);
            }
            String dialect = string(root, "", "dialect");
            if (!dialect.equals("postgresql")) {
                throw new SnapshotException(file, "/dialect", "unsupported dialect \"" + dialect + "\"; expected \"postgresql\"");
            }
            SchemaModel model = new SchemaModel(
                    map(root, "", "tables", this::table),
                    map(root, "", "enums", this::enumType),
                    map(root, "", "schemas", (n, p) -> text(n, p)),
                    map(root, "", "sequences", this::sequence),
                    map(root, "", "roles", this::role),
                    map(root, "", "policies", this::policy),
                    map(root, "", "views", this::view));
            Map<String, Map<String, String>> meta = new LinkedHashMap<>();
            JsonNode metaNode = root.get("_meta");
            if (metaNode != null) {
                object(metaNode, "/_meta", Set.of("columns", "schemas", "tables"));
                for (String key : List.of("columns", "schemas", "tables")) {
                    meta.put(key, map(metaNode, "/_meta", key, (n, p) -> text(n, p)));
                }
            }
            return new Snapshot(string(root, "", "id"), string(root, "", "prevId"), version, dialect, model, meta);
        }

        Table table(JsonNode n, String p) {
            object(n, p, Set.of("name", "schema", "columns", "indexes", "foreignKeys", "compositePrimaryKeys",
                    "uniqueConstraints", "policies", "checkConstraints", "isRLSEnabled"));
            return new Table(string(n, p, "name"), string(n, p, "schema"), map(n, p, "columns", this::column),
                    map(n, p, "indexes", this::index), map(n, p, "foreignKeys", this::foreignKey),
                    map(n, p, "compositePrimaryKeys", (c, cp) -> {
                        object(c, cp, Set.of("name", "columns"));
                        return new Constraints.PrimaryKey(string(c, cp, "name"), strings(c, cp, "columns"));
                    }),
                    map(n, p, "uniqueConstraints", (c, cp) -> {
                        object(c, cp, Set.of("name", "nullsNotDistinct", "columns"));
                        return new Constraints.Unique(string(c, cp, "name"), bool(c, cp, "nullsNotDistinct", false),
                                strings(c, cp, "columns"));
                    }),
                    map(n, p, "policies", this::policy),
                    map(n, p, "checkConstraints", (c, cp) -> {
                        object(c, cp, Set.of("name", "value"));
                        return new Constraints.Check(string(c, cp, "name"), string(c, cp, "value"));
                    }),
                    bool(n, p, "isRLSEnabled", false));
        }

        Column column(JsonNode n, String p) {
            object(n, p, Set.of("name", "type", "typeSchema", "primaryKey", "notNull", "default", "generated", "identity",
                    "isUnique", "uniqueName", "nullsNotDistinct", "uniqueType"));
            Column.Generated generated = null;
            JsonNode g = n.get("generated");
            if (g != null) {
                object(g, p + "/generated", Set.of("as", "type"));
                generated = new Column.Generated(string(g, p + "/generated", "as"), string(g, p + "/generated", "type"));
            }
            Column.Identity identity = null;
            JsonNode i = n.get("identity");
            if (i != null) {
                String ip = p + "/identity";
                object(i, ip, Set.of("type", "name", "schema", "increment", "startWith", "minValue", "maxValue", "cache", "cycle"));
                identity = new Column.Identity(string(i, ip, "type"), optionalString(i, ip, "name"), optionalString(i, ip, "schema"),
                        optionalString(i, ip, "increment"), optionalString(i, ip, "startWith"), optionalString(i, ip, "minValue"),
                        optionalString(i, ip, "maxValue"), optionalString(i, ip, "cache"), optionalBool(i, ip, "cycle"));
            }
            return new Column(string(n, p, "name"), string(n, p, "type"), optionalString(n, p, "typeSchema"),
                    bool(n, p, "primaryKey", false), bool(n, p, "notNull", false), literal(n.get("default"), p + "/default"),
                    generated, identity, optionalBool(n, p, "isUnique"), optionalString(n, p, "uniqueName"),
                    optionalBool(n, p, "nullsNotDistinct"));
        }

        Index index(JsonNode n, String p) {
            object(n, p, Set.of("name", "columns", "isUnique", "where", "concurrently", "method", "with"));
            List<Index.IndexColumn> columns = new ArrayList<>();
            JsonNode cols = array(n, p, "columns");
            for (int k = 0; k < cols.size(); k++) {
                String cp = p + "/columns/" + k;
                JsonNode c = cols.get(k);
                object(c, cp, Set.of("expression", "isExpression", "asc", "nulls", "opclass"));
                columns.add(new Index.IndexColumn(string(c, cp, "expression"), bool(c, cp, "isExpression", false),
                        bool(c, cp, "asc", true), optionalString(c, cp, "nulls"), optionalString(c, cp, "opclass")));
            }
            return new Index(string(n, p, "name"), columns, bool(n, p, "isUnique", false), optionalString(n, p, "where"),
                    bool(n, p, "concurrently", false), n.has("method") ? string(n, p, "method") : "btree",
                    literals(n.get("with"), p + "/with"));
        }

        Constraints.ForeignKey foreignKey(JsonNode n, String p) {
            object(n, p, Set.of("name", "tableFrom", "tableTo", "schemaTo", "columnsFrom", "columnsTo", "onDelete", "onUpdate"));
            return new Constraints.ForeignKey(string(n, p, "name"), string(n, p, "tableFrom"), string(n, p, "tableTo"),
                    optionalString(n, p, "schemaTo"), strings(n, p, "columnsFrom"), strings(n, p, "columnsTo"),
                    optionalString(n, p, "onDelete"), optionalString(n, p, "onUpdate"));
        }

        Constraints.Policy policy(JsonNode n, String p) {
            object(n, p, Set.of("name", "as", "for", "to", "using", "withCheck", "on", "schema"));
            return new Constraints.Policy(string(n, p, "name"), optionalString(n, p, "as"), optionalString(n, p, "for"),
                    n.has("to") ? strings(n, p, "to") : null, optionalString(n, p, "using"), optionalString(n, p, "withCheck"),
                    optionalString(n, p, "on"), optionalString(n, p, "schema"));
        }

        SchemaObjects.EnumType enumType(JsonNode n, String p) {
            object(n, p, Set.of("name", "schema", "values"));
            return new SchemaObjects.EnumType(string(n, p, "name"), string(n, p, "schema"), strings(n, p, "values"));
        }

        SchemaObjects.Sequence sequence(JsonNode n, String p) {
            object(n, p, Set.of("name", "schema", "increment", "startWith", "minValue", "maxValue", "cache", "cycle"));
            return new SchemaObjects.Sequence(string(n, p, "name"), string(n, p, "schema"), optionalString(n, p, "increment"),
                    optionalString(n, p, "startWith"), optionalString(n, p, "minValue"), optionalString(n, p, "maxValue"),
                    optionalString(n, p, "cache"), bool(n, p, "cycle", false));
        }

        SchemaObjects.Role role(JsonNode n, String p) {
            object(n, p, Set.of("name", "createDb", "createRole", "inherit"));
            return new SchemaObjects.Role(string(n, p, "name"), bool(n, p, "createDb", false), bool(n, p, "createRole", false),
                    bool(n, p, "inherit", true));
        }

        SchemaObjects.View view(JsonNode n, String p) {
            object(n, p, Set.of("columns", "definition", "name", "schema", "isExisting", "with", "materialized",
                    "withNoData", "using", "tablespace"));
            return new SchemaObjects.View(map(n, p, "columns", this::column), optionalString(n, p, "definition"),
                    string(n, p, "name"), string(n, p, "schema"), bool(n, p, "isExisting", false),
                    n.has("with") ? literals(n.get("with"), p + "/with") : null, bool(n, p, "materialized", false),
                    optionalBool(n, p, "withNoData"), optionalString(n, p, "using"), optionalString(n, p, "tablespace"));
        }

        // ------------------------------------------------------------------------------------------ primitives

        void object(JsonNode node, String p, Set<String> allowed) {
            if (node == null || !node.isObject()) {
                throw new SnapshotException(file, p, "expected an object");
            }
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    throw new SnapshotException(file, p + "/" + name, "unknown key \"" + name + "\" (drizzle-kit reads snapshots strictly)");
                }
            }
        }

        <T> Map<String, T> map(JsonNode parent, String p, String key, BiFunction<JsonNode, String, T> element) {
            JsonNode node = parent.get(key);
            Map<String, T> out = new LinkedHashMap<>();
            if (node == null) {
                return out;
            }
            String mp = p + "/" + key;
            if (!node.isObject()) {
                throw new SnapshotException(file, mp, "expected an object");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.put(field.getKey(), element.apply(field.getValue(), mp + "/" + escape(field.getKey())));
            }
            return out;
        }

        String text(JsonNode node, String p) {
            if (node == null || !node.isTextual()) {
                throw new SnapshotException(file, p, "expected a string");
            }
            return node.asText();
        }

        String string(JsonNode parent, String p, String key) {
            JsonNode node = parent.get(key);
            if (node == null) {
                throw new SnapshotException(file, p + "/" + key, "missing required key \"" + key + "\"");
            }
            return text(node, p + "/" + key);
        }

        String optionalString(JsonNode parent, String p, String key) {
            JsonNode node = parent.get(key);
            return node == null ? null : text(node, p + "/" + key);
        }

        boolean bool(JsonNode parent, String p, String key, boolean otherwise) {
            Boolean value = optionalBool(parent, p, key);
            return value == null ? otherwise : value;
        }

        Boolean optionalBool(JsonNode parent, String p, String key) {
            JsonNode node = parent.get(key);
            if (node == null) {
                return null;
            }
            if (!node.isBoolean()) {
                throw new SnapshotException(file, p + "/" + key, "expected true or false");
            }
            return node.asBoolean();
        }

        JsonNode array(JsonNode parent, String p, String key) {
            JsonNode node = parent.get(key);
            if (node == null || !node.isArray()) {
                throw new SnapshotException(file, p + "/" + key, "expected an array");
            }
            return node;
        }

        List<String> strings(JsonNode parent, String p, String key) {
            JsonNode node = array(parent, p, key);
            List<String> out = new ArrayList<>(node.size());
            for (int k = 0; k < node.size(); k++) {
                out.add(text(node.get(k), p + "/" + key + "/" + k));
            }
            return out;
        }

        Literal literal(JsonNode node, String p) {
            if (node == null) {
                return null;
            }
            if (node.isTextual()) {
                return Literal.string(node.asText());
            }
            if (node.isBoolean()) {
                return Literal.bool(node.asBoolean());
            }
            if (node.isNumber()) {
                return Literal.number(jsNumber(node.decimalValue()));
            }
            throw new SnapshotException(file, p, "expected a string, number or boolean");
        }

        Map<String, Literal> literals(JsonNode node, String p) {
            Map<String, Literal> out = new LinkedHashMap<>();
            if (node == null) {
                return out;
            }
            if (!node.isObject()) {
                throw new SnapshotException(file, p, "expected an object");
            }
            node.fields().forEachRemaining(f -> out.put(f.getKey(), literal(f.getValue(), p + "/" + escape(f.getKey()))));
            return out;
        }
    }

    /** How JavaScript prints a number that JSON.parse read. */
    static String jsNumber(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.abs().compareTo(new BigDecimal("1e21")) < 0) {
            return stripped.toBigInteger().toString();
        }
        return stripped.toPlainString();
    }

    private static String escape(String pointerToken) {
        return pointerToken.replace("~", "~0").replace("/", "~1");
    }

    // ---------------------------------------------------------------------------------------------- writing

    public String write(Snapshot snapshot) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("id", snapshot.id());
        root.put("prevId", snapshot.prevId());
        root.put("version", snapshot.version());
        root.put("dialect", snapshot.dialect());
        SchemaModel s = snapshot.schema();
        root.put("tables", each(s.tables(), SnapshotCodec::table));
        root.put("enums", each(s.enums(), e -> ordered("name", e.name(), "schema", e.schema(), "values", e.values())));
        root.put("schemas", s.schemas());
        root.put("sequences", each(s.sequences(), q -> ordered("name", q.name(), "schema", q.schema(), "increment", q.increment(),
                "startWith", q.startWith(), "minValue", q.minValue(), "maxValue", q.maxValue(), "cache", q.cache(), "cycle", q.cycle())));
        root.put("roles", each(s.roles(), r -> ordered("name", r.name(), "createDb", r.createDb(), "createRole", r.createRole(),
                "inherit", r.inherit())));
        root.put("policies", each(s.policies(), SnapshotCodec::policy));
        root.put("views", each(s.views(), SnapshotCodec::view));
        Map<String, Object> meta = new LinkedHashMap<>();
        for (String key : List.of("columns", "schemas", "tables")) {
            meta.put(key, snapshot.meta().getOrDefault(key, Map.of()));
        }
        root.put("_meta", meta);
        return JsonWriter.write(root);
    }

    private static Map<String, Object> table(Table t) {
        return ordered("name", t.name(), "schema", t.schema(),
                "columns", each(t.columns(), SnapshotCodec::column),
                "indexes", each(t.indexes(), SnapshotCodec::index),
                "foreignKeys", each(t.foreignKeys(), f -> ordered("name", f.name(), "tableFrom", f.tableFrom(),
                        "tableTo", f.tableTo(), "schemaTo", f.schemaTo(), "columnsFrom", f.columnsFrom(),
                        "columnsTo", f.columnsTo(), "onDelete", f.onDelete(), "onUpdate", f.onUpdate())),
                "compositePrimaryKeys", each(t.compositePrimaryKeys(), k -> ordered("name", k.name(), "columns", k.columns())),
                "uniqueConstraints", each(t.uniqueConstraints(), u -> ordered("name", u.name(),
                        "nullsNotDistinct", u.nullsNotDistinct(), "columns", u.columns())),
                "policies", each(t.policies(), SnapshotCodec::policy),
                "checkConstraints", each(t.checkConstraints(), c -> ordered("name", c.name(), "value", c.value())),
                "isRLSEnabled", t.isRLSEnabled());
    }

    private static Map<String, Object> column(Column c) {
        Map<String, Object> out = ordered("name", c.name(), "type", c.type(), "typeSchema", c.typeSchema(),
                "primaryKey", c.primaryKey(), "notNull", c.notNull(), "default", c.defaultValue());
        if (c.generated() != null) {
            out.put("generated", ordered("as", c.generated().as(), "type", c.generated().type()));
        }
        Column.Identity i = c.identity();
        if (i != null) {
            out.put("identity", ordered("type", i.type(), "name", i.name(), "schema", i.schema(), "increment", i.increment(),
                    "startWith", i.startWith(), "minValue", i.minValue(), "maxValue", i.maxValue(), "cache", i.cache(),
                    "cycle", i.cycle()));
        }
        out.put("isUnique", c.isUnique());
        out.put("uniqueName", c.uniqueName());
        out.put("nullsNotDistinct", c.nullsNotDistinct());
        return out;
    }

    private static Map<String, Object> index(Index i) {
        List<Object> columns = new ArrayList<>();
        for (Index.IndexColumn c : i.columns()) {
            columns.add(ordered("expression", c.expression(), "isExpression", c.isExpression(), "asc", c.asc(),
                    "nulls", c.nulls(), "opclass", c.opclass()));
        }
        return ordered("name", i.name(), "columns", columns, "isUnique", i.isUnique(), "where", i.where(),
                "concurrently", i.concurrently(), "method", i.method(), "with", i.with());
    }

    private static Map<String, Object> policy(Constraints.Policy p) {
        return ordered("name", p.name(), "as", p.as(), "for", p.forCommand(), "to", p.to(), "using", p.using(),
                "withCheck", p.withCheck(), "on", p.on(), "schema", p.schema());
    }

    private static Map<String, Object> view(SchemaObjects.View v) {
        return ordered("columns", each(v.columns(), SnapshotCodec::column), "definition", v.definition(), "name", v.name(),
                "schema", v.schema(), "isExisting", v.isExisting(), "with", v.with(), "materialized", v.materialized(),
                "withNoData", v.withNoData(), "using", v.using(), "tablespace", v.tablespace());
    }

    private static <T> Map<String, Object> each(Map<String, T> map, java.util.function.Function<T, Object> convert) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, convert.apply(v)));
        return out;
    }

    /** A map of the given key/value pairs in order; {@code null} values are dropped by the writer. */
    private static Map<String, Object> ordered(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], pairs[i + 1]);
        }
        return out;
    }
}
