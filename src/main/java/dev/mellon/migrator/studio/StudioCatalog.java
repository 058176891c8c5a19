package dev.mellon.migrator.studio;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads what the studio shows about relations from {@code pg_catalog}. Names are always bound parameters here; the
 * names it returns are the only identifiers {@link RowQuery} ever puts into SQL text.
 */
public final class StudioCatalog {

    /** Relation kinds the studio lists: tables, partitioned tables, views, materialized views, foreign tables. */
    static final String KINDS = "'r','p','v','m','f'";
    static final String HIDDEN_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') "
            + "AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'";

    /** One relation in the list. {@code estimatedRows} is {@code null} when the table was never analysed. */
    public record TableSummary(String schema, String name, String kind, Long estimatedRows, long totalBytes,
                               String size, boolean hasPrimaryKey) {
    }

    /** A column; {@code type} is {@code format_type} with the modifier, {@code castType} without it. */
    public record ColumnInfo(String name, int position, String type, String castType, String category, boolean notNull,
                             String defaultValue, boolean primaryKey, String identity, String generated) {
    }

    public record IndexInfo(String name, boolean unique, boolean primary, String definition) {
    }

    /** A foreign key, outgoing (this table references another) or incoming (another references this one). */
    public record ForeignKeyInfo(String name, String schema, String table, List<String> columns, String refSchema,
                                 String refTable, List<String> refColumns, String onDelete, String onUpdate) {
    }

    public record TableInfo(String schema, String name, String kind, Long estimatedRows, long totalBytes, String size,
                            List<ColumnInfo> columns, List<String> primaryKey, List<IndexInfo> indexes,
                            List<ForeignKeyInfo> foreignKeys, List<ForeignKeyInfo> referencedBy) {

        public ColumnInfo column(String name) {
            for (ColumnInfo column : columns) {
                if (column.name().equals(name)) {
                    return column;
                }
            }
            return null;
        }
    }

    private static final String LIST = "SELECT n.nspname, c.relname, c.relkind, c.reltuples::bigint, "
            + "pg_total_relation_size(c.oid), pg_size_pretty(pg_total_relation_size(c.oid)), "
            + "EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p') "
            + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind IN (" + KINDS + ") AND " + HIDDEN_SCHEMAS + " "
            + "AND has_table_privilege(c.oid, 'SELECT') ORDER BY n.nspname, c.relname";

    public List<TableSummary> tables(Connection connection) throws SQLException {
        List<TableSummary> tables = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(LIST); ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                long tuples = rs.getLong(4);
                tables.add(new TableSummary(rs.getString(1), rs.getString(2), kind(rs.getString(3)),
                        tuples < 0 ? null : tuples, rs.getLong(5), rs.getString(6), rs.getBoolean(7)));
            }
        }
        return tables;
    }

    private static final String RELATION = "SELECT c.oid, c.relkind, c.reltuples::bigint, pg_total_relation_size(c.oid), "
            + "pg_size_pretty(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN (" + KINDS + ") AND " + HIDDEN_SCHEMAS;

    private static final String COLUMNS = "SELECT a.attname, a.attnum, format_type(a.atttypid, a.atttypmod), "
            + "format_type(a.atttypid, NULL), t.typcategory, a.attnotnull, pg_get_expr(d.adbin, d.adrelid), "
            + "a.attidentity, a.attgenerated, t.typtype, bt.typcategory "
            + "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
            + "LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype "
            + "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            + "WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";

    private static final String PRIMARY_KEY = "SELECT a.attname FROM pg_constraint k "
            + "CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u(attnum, ord) "
            + "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum "
            + "WHERE k.conrelid = ? AND k.contype = 'p' ORDER BY u.ord";

    private static final String INDEXES = "SELECT ic.relname, i.indisunique, i.indisprimary, pg_get_indexdef(i.indexrelid) "
            + "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = ? ORDER BY ic.relname";

    private static final String FOREIGN_KEYS = "SELECT k.conname, n.nspname, c.relname, "
            + "ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a "
            + "  ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o), "
            + "rn.nspname, rc.relname, "
            + "ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, o) JOIN pg_attribute a "
            + "  ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o), k.confdeltype, k.confupdtype "
            + "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "JOIN pg_class rc ON rc.oid = k.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
            + "WHERE k.contype = 'f' AND k.%s = ? ORDER BY k.conname";

    /**
     * Everything about one relation.
     *
     * @throws UnknownTableException when no listed relation has this schema and name (also for names no relation
     *                               could have: they are only ever compared, as parameters)
     */
    public TableInfo table(Connection connection, String schema, String name) throws SQLException {
        if (schema.indexOf('\0') >= 0 || name.indexOf('\0') >= 0) {
            // PostgreSQL refuses NUL in any text, so no relation can have it in its name.
            throw new UnknownTableException(schema, schema.indexOf('\0') >= 0 ? null : name);
        }
        long oid;
        String kind;
        Long estimate;
        long bytes;
        String size;
        try (PreparedStatement statement = connection.prepareStatement(RELATION)) {
            statement.setString(1, schema);
            statement.setString(2, name);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new UnknownTableException(schema, schemaExists(connection, schema) ? name : null);
                }
                oid = rs.getLong(1);
                kind = kind(rs.getString(2));
                long tuples = rs.getLong(3);
                estimate = tuples < 0 ? null : tuples;
                bytes = rs.getLong(4);
                size = rs.getString(5);
            }
        }
        List<String> primaryKey = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(PRIMARY_KEY)) {
            statement.setLong(1, oid);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    primaryKey.add(rs.getString(1));
                }
            }
        }
        List<ColumnInfo> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(COLUMNS)) {
            statement.setLong(1, oid);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String category = rs.getString(5);
                    if ("d".equals(rs.getString(10)) && rs.getString(11) != null) {
                        category = rs.getString(11);
                    }
                    String identity = rs.getString(8);
                    String generated = rs.getString(9);
                    columns.add(new ColumnInfo(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), category,
                            rs.getBoolean(6), rs.getString(7), primaryKey.contains(rs.getString(1)),
                            identity == null || identity.isEmpty() ? null : ("a".equals(identity) ? "always" : "by default"),
                            generated == null || generated.isEmpty() ? null : "stored"));
                }
            }
        }
        List<IndexInfo> indexes = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(INDEXES)) {
            statement.setLong(1, oid);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    indexes.add(new IndexInfo(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getString(4)));
                }
            }
        }
        return new TableInfo(schema, name, kind, estimate, bytes, size, columns, primaryKey, indexes,
                foreignKeys(connection, "conrelid", oid), foreignKeys(connection, "confrelid", oid));
    }

    private static List<ForeignKeyInfo> foreignKeys(Connection connection, String side, long oid) throws SQLException {
        List<ForeignKeyInfo> keys = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(String.format(FOREIGN_KEYS, side))) {
            statement.setLong(1, oid);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    keys.add(new ForeignKeyInfo(rs.getString(1), rs.getString(2), rs.getString(3), strings(rs.getArray(4)),
                            rs.getString(5), rs.getString(6), strings(rs.getArray(7)), action(rs.getString(8)),
                            action(rs.getString(9))));
                }
            }
        }
        return keys;
    }

    private static boolean schemaExists(Connection connection, String schema) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM pg_namespace n WHERE n.nspname = ? AND " + HIDDEN_SCHEMAS)) {
            statement.setString(1, schema);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static String action(String code) {
        return switch (code == null ? "" : code) {
            case "c" -> "cascade";
            case "n" -> "set null";
            case "d" -> "set default";
            case "r" -> "restrict";
            default -> "no action";
        };
    }

    private static String kind(String relkind) {
        return switch (relkind) {
            case "r" -> "table";
            case "p" -> "partitioned table";
            case "v" -> "view";
            case "m" -> "materialized view";
            case "f" -> "foreign table";
            default -> relkind;
        };
    }
}
