package dev.mellon.migrator.introspect;

import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.Index;
import dev.mellon.migrator.schema.Literal;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SchemaObjects;
import dev.mellon.migrator.schema.Table;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a live database into the {@link SchemaModel}. Each object kind is one query over {@code pg_catalog} for the
 * whole database, so the number of round trips does not grow with the number of tables.
 */
public final class Introspector {

    private static final Pattern NEXTVAL = Pattern.compile("nextval\\('(.+)'::regclass\\)");

    /** A relation being read: its model parts, built up query by query. */
    private static final class Relation {
        final long oid;
        final String schema;
        final String name;
        final char kind;
        final boolean rls;
        final Map<Integer, String> attributes = new HashMap<>();
        final Map<String, Column> columns = new LinkedHashMap<>();
        final Map<String, Index> indexes = new LinkedHashMap<>();
        final Map<String, Constraints.ForeignKey> foreignKeys = new LinkedHashMap<>();
        final Map<String, Constraints.PrimaryKey> primaryKeys = new LinkedHashMap<>();
        final Map<String, Constraints.Unique> uniques = new LinkedHashMap<>();
        final Map<String, Constraints.Check> checks = new LinkedHashMap<>();
        final Map<String, Constraints.Policy> policies = new LinkedHashMap<>();

        Relation(long oid, String schema, String name, char kind, boolean rls) {
            this.oid = oid;
            this.schema = schema;
            this.name = name;
            this.kind = kind;
            this.rls = rls;
        }

        String key() {
            return schema + "." + name;
        }

        boolean isView() {
            return kind == 'v' || kind == 'm';
        }
    }

    public Introspection introspect(Connection connection, IntrospectOptions options) throws SQLException {
        boolean pg15 = connection.getMetaData().getDatabaseMajorVersion() >= 15;
        Map<Long, Relation> relations = relations(connection, options);
        Map<String, SchemaObjects.EnumType> enums = enums(connection, options);
        Map<String, Owned> owned = ownedSequences(connection);
        columns(connection, relations, owned);
        constraints(connection, relations, pg15);
        indexes(connection, relations);
        policies(connection, relations);

        Map<String, String> schemas = new LinkedHashMap<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery(CatalogQueries.SCHEMAS)) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (!name.equals("public") && options.schemas().matches(name)) {
                    schemas.put(name, name);
                }
            }
        }
        Map<String, Table> tables = new LinkedHashMap<>();
        Map<String, SchemaObjects.View> views = new LinkedHashMap<>();
        Map<Long, String> viewDefinitions = viewDefinitions(connection, relations);
        for (Relation r : relations.values()) {
            if (r.isView()) {
                views.put(r.key(), new SchemaObjects.View(r.columns, viewDefinitions.get(r.oid), r.name, r.schema, false,
                        null, r.kind == 'm', null, null, null));
            } else {
                tables.put(r.key(), new Table(r.name, r.schema.equals("public") ? "" : r.schema, r.columns, r.indexes,
                        r.foreignKeys, r.primaryKeys, r.uniques, r.policies, r.checks, r.rls));
            }
        }
        // The tracking schema holds only the tracking tables: it is not part of the application's schema.
        for (String excluded : options.excluded()) {
            String schema = excluded.substring(0, excluded.indexOf('.'));
            boolean used = tables.values().stream().anyMatch(t -> t.schemaName().equals(schema))
                    || enums.values().stream().anyMatch(e -> e.schema().equals(schema))
                    || views.values().stream().anyMatch(v -> v.schema().equals(schema));
            if (!used) {
                schemas.remove(schema);
            }
        }
        SchemaModel model = new SchemaModel(tables, enums, schemas, sequences(connection, options), Map.of(), Map.of(), views);
        return new Introspection(model, unmanaged(connection, options));
    }

    private Map<Long, Relation> relations(Connection connection, IntrospectOptions options) throws SQLException {
        Map<Long, Relation> relations = new LinkedHashMap<>();
        String sql = CatalogQueries.RELATIONS;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String schema = rs.getString(2);
                String name = rs.getString(3);
                if (options.excluded().contains(schema + "." + name) || !options.schemas().matches(schema)
                        || !options.tables().matches(name)) {
                    continue;
                }
                relations.put(rs.getLong(1), new Relation(rs.getLong(1), schema, name, rs.getString(4).charAt(0), rs.getBoolean(5)));
            }
        }
        return relations;
    }

    private Map<String, SchemaObjects.EnumType> enums(Connection connection, IntrospectOptions options) throws SQLException {
        Map<String, SchemaObjects.EnumType> enums = new LinkedHashMap<>();
        String sql = CatalogQueries.ENUMS;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                if (options.schemas().matches(rs.getString(1))) {
                    SchemaObjects.EnumType e = new SchemaObjects.EnumType(rs.getString(2), rs.getString(1), CatalogArrays.strings(rs.getArray(3)));
                    enums.put(e.key(), e);
                }
            }
        }
        return enums;
    }

    /** A sequence owned by a column: a serial ({@code a}) or identity ({@code i}) column's. */
    private record Owned(char kind, String schema, String name, String increment, String start, String min, String max,
                         String cache, boolean cycle) {
    }

    private Map<String, Owned> ownedSequences(Connection connection) throws SQLException {
        Map<String, Owned> owned = new HashMap<>();
        String sql = CatalogQueries.OWNED_SEQUENCES;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                owned.put(rs.getLong(1) + ":" + rs.getInt(2), new Owned(rs.getString(3).charAt(0), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getBoolean(11)));
            }
        }
        return owned;
    }

    private void columns(Connection connection, Map<Long, Relation> relations, Map<String, Owned> owned) throws SQLException {
        String sql = CatalogQueries.COLUMNS;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                Relation r = relations.get(rs.getLong(1));
                if (r == null) {
                    continue;
                }
                int attnum = rs.getInt(2);
                String name = rs.getString(3);
                r.attributes.put(attnum, name);
                boolean array = rs.getBoolean(13);
                String baseType = rs.getString(12);
                String typeSchema = null;
                String type;
                if ("e".equals(rs.getString(10))) {
                    typeSchema = rs.getString(11);
                    type = baseType + (array ? "[]".repeat(Math.max(1, rs.getInt(9))) : "");
                } else {
                    type = TypeNames.drizzleColumn(rs.getString(4), rs.getInt(9));
                }
                String defaultSql = rs.getString(6);
                Owned sequence = owned.get(r.oid + ":" + attnum);
                String identityKind = rs.getString(7);
                Column.Identity identity = null;
                if (sequence != null && sequence.kind() == 'a' && defaultSql != null && NEXTVAL.matcher(defaultSql).matches() && !array) {
                    String serial = switch (rs.getString(14)) {
                        case "int2" -> "smallserial";
                        case "int8" -> "bigserial";
                        case "int4" -> "serial";
                        default -> null;
                    };
                    if (serial != null) {
                        type = serial;
                        defaultSql = null;
                    }
                } else if (identityKind != null && !identityKind.isEmpty() && sequence != null) {
                    identity = new Column.Identity(identityKind.equals("a") ? "always" : "byDefault", sequence.name(),
                            sequence.schema(), sequence.increment(), sequence.start(), sequence.min(), sequence.max(),
                            sequence.cache(), sequence.cycle());
                }
                Column.Generated generated = null;
                if ("s".equals(rs.getString(8))) {
                    generated = new Column.Generated(defaultSql, "stored");
                    defaultSql = null;
                }
                r.columns.put(name, new Column(name, type, typeSchema, false, rs.getBoolean(5),
                        Defaults.fromPostgres(defaultSql), generated, identity, null, null, null));
            }
        }
    }

    private static final Map<String, String> ACTIONS = Map.of("a", "no action", "r", "restrict", "c", "cascade",
            "n", "set null", "d", "set default");

    private void constraints(Connection connection, Map<Long, Relation> relations, boolean pg15) throws SQLException {
        String sql = CatalogQueries.constraints(pg15);
        Map<Long, Map<Integer, String>> foreignAttributes = new HashMap<>();
        List<PendingForeignKey> foreignKeys = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                Relation r = relations.get(rs.getLong(1));
                if (r == null) {
                    continue;
                }
                String name = rs.getString(2);
                List<String> columns = CatalogArrays.names(r.attributes, rs.getArray(4));
                switch (rs.getString(3)) {
                    case "p" -> {
                        if (columns.size() == 1 && name.equals(r.name + "_pkey")) {
                            Column c = r.columns.get(columns.get(0));
                            r.columns.put(c.name(), new Column(c.name(), c.type(), c.typeSchema(), true, c.notNull(),
                                    c.defaultValue(), c.generated(), c.identity(), null, null, null));
                        } else {
                            r.primaryKeys.put(name, new Constraints.PrimaryKey(name, columns));
                        }
                    }
                    case "u" -> r.uniques.put(name, new Constraints.Unique(name, rs.getBoolean(12), columns));
                    case "c" -> r.checks.put(name, new Constraints.Check(name, checkBody(rs.getString(9))));
                    case "f" -> foreignKeys.add(new PendingForeignKey(r, name, columns, rs.getLong(5), CatalogArrays.ints(rs.getArray(6)),
                            ACTIONS.get(rs.getString(7)), ACTIONS.get(rs.getString(8)), rs.getString(10), rs.getString(11)));
                    default -> { }
                }
            }
        }
        // FK targets may be tables outside the filter; their column names come from one more set query.
        for (PendingForeignKey fk : foreignKeys) {
            if (!relations.containsKey(fk.target())) {
                foreignAttributes.putIfAbsent(fk.target(), new HashMap<>());
            }
        }
        if (!foreignAttributes.isEmpty()) {
            try (PreparedStatement st = connection.prepareStatement(CatalogQueries.REFERENCED_COLUMNS)) {
                st.setArray(1, connection.createArrayOf("oid", foreignAttributes.keySet().toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        foreignAttributes.get(rs.getLong(1)).put(rs.getInt(2), rs.getString(3));
                    }
                }
            }
        }
        for (PendingForeignKey fk : foreignKeys) {
            Map<Integer, String> targetAttributes = relations.containsKey(fk.target()) ? relations.get(fk.target()).attributes
                    : foreignAttributes.get(fk.target());
            List<String> to = new ArrayList<>();
            for (int attnum : fk.targetAttnums()) {
                to.add(targetAttributes.get(attnum));
            }
            Relation r = fk.from();
            r.foreignKeys.put(fk.name(), new Constraints.ForeignKey(fk.name(), r.name, fk.targetTable(),
                    fk.targetSchema().equals("public") ? null : fk.targetSchema(), fk.columns(), to, fk.onDelete(), fk.onUpdate()));
        }
    }

    private record IndexHead(Relation table, String name, boolean unique, String method, String where,
                             Map<String, Literal> with) {
    }

    /** A foreign key read before its target's column names are known. */
    private record PendingForeignKey(Relation from, String name, List<String> columns, long target, int[] targetAttnums,
                                     String onUpdate, String onDelete, String targetSchema, String targetTable) {
    }

    /** {@code CHECK ((balance >= (0)::numeric))} as drizzle-kit pull stores it: {@code balance >= (0)::numeric}. */
    static String checkBody(String definition) {
        String body = definition.strip();
        if (body.endsWith(" NOT VALID")) {
            body = body.substring(0, body.length() - 10).strip();
        }
        if (body.startsWith("CHECK ")) {
            body = body.substring(6).strip();
        }
        for (int layer = 0; layer < 2 && body.startsWith("(") && body.endsWith(")") && closesAtEnd(body); layer++) {
            body = body.substring(1, body.length() - 1);
        }
        return body;
    }

    /** True when the parenthesis opening at 0 is the one closing at the end. */
    private static boolean closesAtEnd(String s) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                inString = !inString;
            } else if (!inString && c == '(') {
                depth++;
            } else if (!inString && c == ')' && --depth == 0 && i < s.length() - 1) {
                return false;
            }
        }
        return true;
    }

    private void indexes(Connection connection, Map<Long, Relation> relations) throws SQLException {
        String sql = CatalogQueries.INDEX_KEYS;
        Map<String, List<Index.IndexColumn>> keys = new LinkedHashMap<>();
        Map<String, IndexHead> heads = new LinkedHashMap<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                Relation r = relations.get(rs.getLong(1));
                if (r == null) {
                    continue;
                }
                String id = r.oid + ":" + rs.getString(2);
                if (!heads.containsKey(id)) {
                    heads.put(id, new IndexHead(r, rs.getString(2), rs.getBoolean(3), rs.getString(4), rs.getString(5),
                            CatalogArrays.options(rs.getArray(6))));
                }
                boolean expression = rs.getInt(9) == 0;
                int option = rs.getInt(10);
                String definition = rs.getString(8);
                keys.computeIfAbsent(id, k -> new ArrayList<>()).add(new Index.IndexColumn(
                        expression ? definition : unquote(definition), expression, (option & 1) == 0,
                        (option & 2) != 0 ? "first" : "last", rs.getBoolean(12) ? null : rs.getString(11)));
            }
        }
        heads.forEach((id, h) -> h.table().indexes.put(h.name(),
                new Index(h.name(), keys.get(id), h.unique(), h.where(), false, h.method(), h.with())));
    }

    private void policies(Connection connection, Map<Long, Relation> relations) throws SQLException {
        Map<String, Relation> byName = new HashMap<>();
        relations.values().forEach(r -> byName.put(r.key(), r));
        String sql = CatalogQueries.POLICIES;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                Relation r = byName.get(rs.getString(1) + "." + rs.getString(2));
                if (r != null) {
                    List<String> to = new ArrayList<>(CatalogArrays.strings(rs.getArray(5)));
                    to.sort(null);
                    r.policies.put(rs.getString(3), new Constraints.Policy(rs.getString(3), rs.getString(4), rs.getString(6),
                            to, rs.getString(7), rs.getString(8), null, null));
                }
            }
        }
    }

    private Map<Long, String> viewDefinitions(Connection connection, Map<Long, Relation> relations) throws SQLException {
        Map<Long, String> definitions = new HashMap<>();
        if (relations.values().stream().noneMatch(Relation::isView)) {
            return definitions;
        }
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery(CatalogQueries.VIEW_DEFINITIONS)) {
            while (rs.next()) {
                if (relations.containsKey(rs.getLong(1))) {
                    definitions.put(rs.getLong(1), rs.getString(2).strip());
                }
            }
        }
        return definitions;
    }

    private Map<String, SchemaObjects.Sequence> sequences(Connection connection, IntrospectOptions options) throws SQLException {
        Map<String, SchemaObjects.Sequence> sequences = new LinkedHashMap<>();
        String sql = CatalogQueries.SEQUENCES;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                if (options.schemas().matches(rs.getString(1))) {
                    SchemaObjects.Sequence s = new SchemaObjects.Sequence(rs.getString(2), rs.getString(1), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getBoolean(8));
                    sequences.put(s.key(), s);
                }
            }
        }
        return sequences;
    }

    private List<UnmanagedObject> unmanaged(Connection connection, IntrospectOptions options) throws SQLException {
        List<UnmanagedObject> out = new ArrayList<>();
        String sql = CatalogQueries.UNMANAGED;
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                if (rs.getString(1).equals("extension") || options.schemas().matches(rs.getString(2))) {
                    out.add(new UnmanagedObject(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return out;
    }

    /** {@code "userId"} as written by pg_get_indexdef becomes the bare column name drizzle stores. */
    static String unquote(String identifier) {
        if (identifier.length() >= 2 && identifier.startsWith("\"") && identifier.endsWith("\"")) {
            return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
        }
        return identifier;
    }
}
