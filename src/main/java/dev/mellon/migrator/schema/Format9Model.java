package dev.mellon.migrator.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A format 9 entity list as the schema model: what drizzle-kit 1.0 keeps in rows per entity (a table, a column, a
 * primary key), gathered back into tables as format 7 nests them. Where the two differ in spelling, the model takes
 * format 7's: {@code public} tables have the schema {@code ""}, a one-column primary key named by default is the
 * column's flag, an array's dimensions are {@code []} suffixes, and foreign-key actions are lower case.
 */
final class Format9Model {

    private Format9Model() {
    }

    private static final class TableParts {
        final String name;
        final String schema;
        final boolean rls;
        final Map<String, ObjectNode> columns = new LinkedHashMap<>();
        final Map<String, Index> indexes = new LinkedHashMap<>();
        final Map<String, Constraints.ForeignKey> foreignKeys = new LinkedHashMap<>();
        final Map<String, Constraints.PrimaryKey> primaryKeys = new LinkedHashMap<>();
        final Map<String, Constraints.Unique> uniques = new LinkedHashMap<>();
        final Map<String, Constraints.Policy> policies = new LinkedHashMap<>();
        final Map<String, Constraints.Check> checks = new LinkedHashMap<>();
        final List<String> inlinePrimaryKey = new ArrayList<>();

        TableParts(String name, String schema, boolean rls) {
            this.name = name;
            this.schema = schema;
            this.rls = rls;
        }
    }

    static SchemaModel of(Collection<ObjectNode> rows, String file) {
        Map<String, TableParts> tables = new LinkedHashMap<>();
        Map<String, SchemaObjects.EnumType> enums = new LinkedHashMap<>();
        Map<String, String> schemas = new LinkedHashMap<>();
        Map<String, SchemaObjects.Sequence> sequences = new LinkedHashMap<>();
        Map<String, SchemaObjects.Role> roles = new LinkedHashMap<>();
        Map<String, SchemaObjects.View> views = new LinkedHashMap<>();
        for (ObjectNode row : rows) {
            if (row.path("entityType").asText().equals("tables")) {
                String schema = text(row, "schema");
                tables.put(schema + "." + text(row, "name"), new TableParts(text(row, "name"), schema, row.path("isRlsEnabled").asBoolean()));
            }
        }
        for (ObjectNode row : rows) {
            String type = row.path("entityType").asText();
            String schema = text(row, "schema");
            switch (type) {
                case "schemas" -> {
                    if (!"public".equals(text(row, "name"))) {
                        schemas.put(text(row, "name"), text(row, "name"));
                    }
                }
                case "enums" -> enums.put(schema + "." + text(row, "name"),
                        new SchemaObjects.EnumType(text(row, "name"), schema, strings(row.path("values"))));
                case "sequences" -> sequences.put(schema + "." + text(row, "name"), new SchemaObjects.Sequence(text(row, "name"), schema,
                        text(row, "incrementBy"), text(row, "startWith"), text(row, "minValue"), text(row, "maxValue"),
                        text(row, "cacheSize"), row.path("cycle").asBoolean(false)));
                case "roles" -> roles.put(text(row, "name"), new SchemaObjects.Role(text(row, "name"), row.path("createDb").asBoolean(false),
                        row.path("createRole").asBoolean(false), row.path("inherit").asBoolean(true)));
                case "views" -> views.put(schema + "." + text(row, "name"), new SchemaObjects.View(Map.of(), text(row, "definition"),
                        text(row, "name"), schema, false, Map.of(), row.path("materialized").asBoolean(false),
                        row.path("withNoData").isBoolean() ? row.path("withNoData").asBoolean() : null, text(row, "using"),
                        text(row, "tablespace")));
                case "tables", "privileges" -> {
                    // Tables were gathered above; privileges have no place in the model.
                }
                default -> {
                    TableParts table = tables.get(schema + "." + text(row, "table"));
                    if (table == null) {
                        throw new SnapshotException(file, null, type + " \"" + text(row, "name") + "\" belongs to table "
                                + schema + "." + text(row, "table") + ", which the snapshot does not have");
                    }
                    tablePart(table, type, row, file);
                }
            }
        }
        Map<String, Table> built = new LinkedHashMap<>();
        tables.forEach((key, parts) -> built.put(key, table(parts)));
        return new SchemaModel(built, enums, schemas, sequences, roles, Map.of(), views);
    }

    private static void tablePart(TableParts table, String type, ObjectNode row, String file) {
        String name = text(row, "name");
        switch (type) {
            case "columns" -> table.columns.put(name, row);
            case "pks" -> {
                List<String> columns = strings(row.path("columns"));
                if (columns.size() == 1 && !row.path("nameExplicit").asBoolean(false)) {
                    table.inlinePrimaryKey.add(columns.get(0));
                } else {
                    table.primaryKeys.put(name, new Constraints.PrimaryKey(name, columns));
                }
            }
            case "uniques" -> table.uniques.put(name, new Constraints.Unique(name, row.path("nullsNotDistinct").asBoolean(false),
                    strings(row.path("columns"))));
            case "fks" -> table.foreignKeys.put(name, new Constraints.ForeignKey(name, table.name, text(row, "tableTo"),
                    text(row, "schemaTo"), strings(row.path("columns")), strings(row.path("columnsTo")),
                    lower(text(row, "onDelete")), lower(text(row, "onUpdate"))));
            case "checks" -> table.checks.put(name, new Constraints.Check(name, text(row, "value")));
            case "indexes" -> table.indexes.put(name, index(row));
            case "policies" -> table.policies.put(name, new Constraints.Policy(name, text(row, "as"), text(row, "for"),
                    strings(row.path("roles")), text(row, "using"), text(row, "withCheck"), null, null));
            default -> throw new SnapshotException(file, null, "unknown entity type \"" + type + "\"");
        }
    }

    private static Table table(TableParts parts) {
        Map<String, Column> columns = new LinkedHashMap<>();
        parts.columns.forEach((name, row) -> columns.put(name, column(row, parts.inlinePrimaryKey.contains(name))));
        return new Table(parts.name, parts.schema.equals("public") ? "" : parts.schema, columns, parts.indexes, parts.foreignKeys,
                parts.primaryKeys, parts.uniques, parts.policies, parts.checks, parts.rls);
    }

    private static Column column(ObjectNode row, boolean primaryKey) {
        String type = text(row, "type") + "[]".repeat(Math.max(0, row.path("dimensions").asInt(0)));
        JsonNode generated = row.path("generated");
        JsonNode identity = row.path("identity");
        String defaultValue = text(row, "default");
        return new Column(text(row, "name"), type, text(row, "typeSchema"), primaryKey, row.path("notNull").asBoolean(false),
                defaultValue == null ? null : Literal.string(defaultValue),
                generated.isObject() ? new Column.Generated(text(generated, "as"), text(generated, "type")) : null,
                identity.isObject() ? new Column.Identity(text(identity, "type"), text(identity, "name"), text(row, "schema"),
                        text(identity, "increment"), text(identity, "startWith"), text(identity, "minValue"),
                        text(identity, "maxValue"), text(identity, "cache"),
                        identity.path("cycle").isBoolean() ? identity.path("cycle").asBoolean() : null) : null,
                null, null, null);
    }

    private static Index index(ObjectNode row) {
        List<Index.IndexColumn> columns = new ArrayList<>();
        for (JsonNode c : row.path("columns")) {
            JsonNode opclass = c.path("opclass");
            columns.add(new Index.IndexColumn(text(c, "value"), c.path("isExpression").asBoolean(false), c.path("asc").asBoolean(true),
                    c.path("nullsFirst").asBoolean(false) ? "first" : "last",
                    opclass.isObject() && !opclass.path("default").asBoolean(false) ? text(opclass, "name") : null));
        }
        Map<String, Literal> with = new LinkedHashMap<>();
        String options = text(row, "with");
        if (options != null && !options.isBlank()) {
            for (String option : options.split(",")) {
                String[] pair = option.split("=", 2);
                with.put(pair[0].strip(), Literal.string(pair.length == 2 ? pair[1].strip() : "true"));
            }
        }
        return new Index(text(row, "name"), columns, row.path("isUnique").asBoolean(false), text(row, "where"),
                row.path("concurrently").asBoolean(false), text(row, "method"), with);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static String lower(String action) {
        return action == null ? null : action.toLowerCase(Locale.ROOT);
    }
}
