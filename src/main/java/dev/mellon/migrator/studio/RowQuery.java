package dev.mellon.migrator.studio;

import dev.mellon.migrator.schema.SqlNames;
import dev.mellon.migrator.web.InvalidRequestException;
import dev.mellon.migrator.studio.StudioCatalog.ColumnInfo;
import dev.mellon.migrator.studio.StudioCatalog.TableInfo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Builds one page's row query from a request and the catalog's description of the table. Every identifier in the SQL
 * text is a name the catalog returned, double-quoted; every type is {@code format_type}'s output for a catalog
 * column; every value the caller sent (filter values, cursor values) is a bound parameter. Nothing the caller sends
 * is ever spliced into SQL text.
 */
public final class RowQuery {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    public static final int DEFAULT_TEXT_LIMIT = 200;
    public static final int MAX_TEXT_LIMIT = 100_000;
    public static final int MAX_FILTERS = 20;
    public static final int MAX_VALUE_LENGTH = 10_000;
    static final int BYTEA_PREVIEW_BYTES = 32;

    public enum Op {
        EQ("="), GT(">"), GTE(">="), LT("<"), LTE("<="), CONTAINS(null), ISNULL(null), NOTNULL(null);

        final String sql;

        Op(String sql) {
            this.sql = sql;
        }

        boolean takesValue() {
            return this != ISNULL && this != NOTNULL;
        }

        boolean comparison() {
            return sql != null;
        }
    }

    /** A filter after parsing: the column is the catalog's. */
    public record Filter(ColumnInfo column, Op op, String value) {
    }

    /** A value bound to a parameter, cast in SQL to {@code castType} (or plain text when {@code null}). */
    public record Param(String value, String castType, String column, String field) {
    }

    /** What a request asks for, as sent (all optional). */
    public record Request(String limit, String sort, String dir, List<String> filters, String cursor, String textLimit) {
    }

    /**
     * A planned page query.
     *
     * @param keyColumns the ordering key read back as text after the cells, to build the next cursor (keyset mode)
     */
    public record Plan(String sql, List<Param> params, List<Filter> filters, List<ColumnInfo> columns,
                       List<ColumnInfo> keyColumns, boolean keyset, String sort, boolean descending, int limit,
                       long offset, int textLimit, String sortCheckSql) {

        public int cellCount() {
            int count = 0;
            for (ColumnInfo column : columns) {
                count += isBytea(column) ? 2 : 1;
            }
            return count;
        }
    }

    private RowQuery() {
    }

    public static Plan plan(TableInfo table, Request request) {
        int limit = bounded("limit", request.limit(), DEFAULT_LIMIT, MAX_LIMIT);
        int textLimit = bounded("textLimit", request.textLimit(), DEFAULT_TEXT_LIMIT, MAX_TEXT_LIMIT);
        boolean descending = direction(request.dir());
        ColumnInfo sort = null;
        if (request.sort() != null && !request.sort().isEmpty()) {
            sort = table.column(request.sort());
            if (sort == null) {
                throw new InvalidRequestException("sort", "Table " + qualified(table) + " has no column \"" + request.sort() + "\"");
            }
        }
        List<Filter> filters = filters(table, request.filters());

        List<ColumnInfo> pk = new ArrayList<>();
        for (String name : table.primaryKey()) {
            pk.add(table.column(name));
        }
        boolean keyset = !pk.isEmpty();
        List<ColumnInfo> keys = new ArrayList<>();
        ColumnInfo leading = null;
        if (keyset) {
            if (sort != null && !(pk.size() == 1 && pk.get(0).name().equals(sort.name()))) {
                leading = sort;
                keys.add(sort);
            }
            keys.addAll(pk);
        }

        StringBuilder sql = new StringBuilder("SELECT ");
        List<Param> params = new ArrayList<>();
        List<String> selected = new ArrayList<>();
        for (ColumnInfo column : table.columns()) {
            String id = column(column);
            if (isBytea(column)) {
                selected.add("octet_length(" + id + ")");
                selected.add("encode(substring(" + id + " from 1 for " + BYTEA_PREVIEW_BYTES + "), 'hex')");
            } else {
                selected.add("left(" + id + "::text, " + (textLimit + 1) + ")");
            }
        }
        for (ColumnInfo key : keys) {
            selected.add(column(key) + "::text");
        }
        if (selected.isEmpty()) {
            selected.add("NULL");
        }
        sql.append(String.join(", ", selected)).append(" FROM ").append(qualified(table)).append(" AS r");

        List<String> where = new ArrayList<>();
        for (Filter filter : filters) {
            String id = column(filter.column());
            switch (filter.op()) {
                case ISNULL -> where.add(id + " IS NULL");
                case NOTNULL -> where.add(id + " IS NOT NULL");
                case CONTAINS -> {
                    where.add(id + "::text ILIKE ? ESCAPE '\\'");
                    params.add(new Param("%" + escapeLike(filter.value()) + "%", null, filter.column().name(), "filter"));
                }
                default -> {
                    where.add(id + " " + filter.op().sql + " ?::" + filter.column().castType());
                    params.add(new Param(filter.value(), filter.column().castType(), filter.column().name(), "filter"));
                }
            }
        }

        long offset = 0;
        Cursor cursor = request.cursor() == null || request.cursor().isEmpty() ? null : Cursor.decode(request.cursor());
        String sortName = sort == null ? null : sort.name();
        if (cursor != null) {
            if (cursor.keyset() != keyset || !java.util.Objects.equals(cursor.sort(), sortName) || cursor.descending() != descending) {
                throw new InvalidRequestException("cursor", "The cursor belongs to another ordering of this table: "
                        + "send the same sort and dir as the request that returned it");
            }
            if (keyset) {
                if (cursor.values().size() != keys.size()) {
                    throw new InvalidRequestException("cursor", "The cursor does not fit this table's key");
                }
                where.add(keysetCondition(leading, pk, cursor.values(), descending, params));
            } else {
                offset = cursor.offset();
            }
        }
        if (!where.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", where));
        }
        List<String> order = new ArrayList<>();
        String direction = descending ? " DESC" : " ASC";
        if (keyset) {
            for (ColumnInfo key : keys) {
                order.add(column(key) + direction + (key == leading ? " NULLS LAST" : ""));
            }
        } else if (sort != null) {
            order.add(column(sort) + direction + " NULLS LAST");
        }
        if (!order.isEmpty()) {
            sql.append(" ORDER BY ").append(String.join(", ", order));
        }
        sql.append(" LIMIT ").append(limit + 1);
        if (offset > 0) {
            sql.append(" OFFSET ").append(offset);
        }
        String sortCheck = sort == null ? null
                : "SELECT 1 FROM " + qualified(table) + " AS r ORDER BY " + column(sort) + " LIMIT 0";
        return new Plan(sql.toString(), params, filters, table.columns(), keyset ? keys : List.of(), keyset, sortName,
                descending, limit, offset, textLimit, sortCheck);
    }

    /**
     * Rows after the cursor in the order {@code leading NULLS LAST, pk...}: with a leading sort column, rows whose value
     * is NULL come last in both directions, and the primary key breaks ties.
     */
    private static String keysetCondition(ColumnInfo leading, List<ColumnInfo> pk, List<String> values, boolean descending,
                                          List<Param> params) {
        String op = descending ? " < " : " > ";
        List<String> pkIds = new ArrayList<>();
        List<String> pkMarks = new ArrayList<>();
        int first = leading == null ? 0 : 1;
        for (int i = 0; i < pk.size(); i++) {
            String value = values.get(first + i);
            if (value == null) {
                throw new InvalidRequestException("cursor", "The cursor does not fit this table's key");
            }
            pkIds.add(column(pk.get(i)));
            pkMarks.add("?::" + pk.get(i).castType());
        }
        if (leading == null) {
            for (int i = 0; i < pk.size(); i++) {
                params.add(new Param(values.get(i), pk.get(i).castType(), pk.get(i).name(), "cursor"));
            }
            return "(" + String.join(", ", pkIds) + ")" + op + "(" + String.join(", ", pkMarks) + ")";
        }
        String id = column(leading);
        String leadingValue = values.get(0);
        if (leadingValue == null) {
            for (int i = 0; i < pk.size(); i++) {
                params.add(new Param(values.get(1 + i), pk.get(i).castType(), pk.get(i).name(), "cursor"));
            }
            return "(" + id + " IS NULL AND (" + String.join(", ", pkIds) + ")" + op + "(" + String.join(", ", pkMarks) + "))";
        }
        params.add(new Param(leadingValue, leading.castType(), leading.name(), "cursor"));
        for (int i = 0; i < pk.size(); i++) {
            params.add(new Param(values.get(1 + i), pk.get(i).castType(), pk.get(i).name(), "cursor"));
        }
        return "(" + id + " IS NULL OR (" + id + ", " + String.join(", ", pkIds) + ")" + op + "(?::" + leading.castType()
                + ", " + String.join(", ", pkMarks) + "))";
    }

    /**
     * Parses {@code op:column[:value]}. The column is matched against the catalog's names (the longest name that fits
     * wins, so names containing {@code :} work); the value is everything after it.
     */
    static List<Filter> filters(TableInfo table, List<String> raw) {
        List<Filter> filters = new ArrayList<>();
        if (raw == null) {
            return filters;
        }
        if (raw.size() > MAX_FILTERS) {
            throw new InvalidRequestException("filter", "At most " + MAX_FILTERS + " filters are allowed");
        }
        for (String text : raw) {
            int colon = text.indexOf(':');
            if (colon < 0) {
                throw new InvalidRequestException("filter", "A filter is op:column[:value], e.g. eq:id:42 or isnull:deleted_at");
            }
            Op op;
            try {
                op = Op.valueOf(text.substring(0, colon).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("filter", "Unknown filter operator \"" + text.substring(0, colon)
                        + "\"; use eq, contains, gt, gte, lt, lte, isnull or notnull");
            }
            String rest = text.substring(colon + 1);
            ColumnInfo match = null;
            for (ColumnInfo column : table.columns()) {
                boolean fits = op.takesValue() ? rest.startsWith(column.name() + ":") : rest.equals(column.name());
                if (fits && (match == null || column.name().length() > match.name().length())) {
                    match = column;
                }
            }
            if (match == null) {
                String name = op.takesValue() && rest.contains(":") ? rest.substring(0, rest.indexOf(':')) : rest;
                throw new InvalidRequestException("filter", "Table " + qualified(table) + " has no column \"" + name + "\""
                        + (op.takesValue() && !rest.contains(":") ? " (a " + op.name().toLowerCase(Locale.ROOT)
                        + " filter is " + op.name().toLowerCase(Locale.ROOT) + ":column:value)" : ""));
            }
            String value = op.takesValue() ? rest.substring(match.name().length() + 1) : null;
            if (value != null && value.length() > MAX_VALUE_LENGTH) {
                throw new InvalidRequestException("filter", "A filter value may have at most " + MAX_VALUE_LENGTH + " characters");
            }
            filters.add(new Filter(match, op, value));
        }
        return filters;
    }

    static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    static boolean isBytea(ColumnInfo column) {
        return "bytea".equals(column.castType());
    }

    private static boolean direction(String dir) {
        if (dir == null || dir.isEmpty() || dir.equalsIgnoreCase("asc")) {
            return false;
        }
        if (dir.equalsIgnoreCase("desc")) {
            return true;
        }
        throw new InvalidRequestException("dir", "dir is asc or desc");
    }

    /** A query parameter that must be a whole number from 1 to {@code max}; anything else is the caller's mistake (400). */
    private static int bounded(String field, String value, int fallback, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below, as for a number out of range
        }
        throw new InvalidRequestException(field, field + " must be a whole number from 1 to " + max + ", not \"" + value + "\"");
    }

    /** A double-quoted identifier, with embedded quotes doubled. Only ever applied to names from the catalog. */
    public static String quote(String identifier) {
        return SqlNames.quote(identifier);
    }

    /**
     * A column of the relation, qualified with its alias {@code r}: an ORDER BY name alone would refer to an output
     * column of the same name (the cells are output columns too), a qualified one always to the table's column.
     */
    static String column(ColumnInfo column) {
        return "r." + quote(column.name());
    }

    static String qualified(TableInfo table) {
        return quote(table.schema()) + "." + quote(table.name());
    }

    /**
     * The opaque position after a page: the ordering it belongs to and either the last row's key values (keyset) or
     * the next offset. Encoded as base64url lines, each value base64url itself or {@code -} for NULL.
     */
    public record Cursor(boolean keyset, String sort, boolean descending, List<String> values, long offset) {

        private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
        private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

        public String encode() {
            StringBuilder text = new StringBuilder(keyset ? "k1" : "o1");
            text.append('\n').append(part(sort)).append('\n').append(descending ? "desc" : "asc");
            if (keyset) {
                for (String value : values) {
                    text.append('\n').append(part(value));
                }
            } else {
                text.append('\n').append(offset);
            }
            return ENCODER.encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
        }

        private static String part(String value) {
            return value == null ? "-" : "+" + ENCODER.encodeToString(value.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                if (cursor.length() > 100_000) {
                    throw new IllegalArgumentException("too long");
                }
                String[] lines = new String(DECODER.decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
                if (lines.length < 4 || !(lines[0].equals("k1") || lines[0].equals("o1"))
                        || !(lines[2].equals("asc") || lines[2].equals("desc"))) {
                    throw new IllegalArgumentException("bad header");
                }
                boolean keyset = lines[0].equals("k1");
                String sort = unpart(lines[1]);
                boolean descending = lines[2].equals("desc");
                if (!keyset) {
                    if (lines.length != 4) {
                        throw new IllegalArgumentException("bad offset");
                    }
                    long offset = Long.parseLong(lines[3]);
                    if (offset < 0) {
                        throw new IllegalArgumentException("negative offset");
                    }
                    return new Cursor(false, sort, descending, List.of(), offset);
                }
                List<String> values = new ArrayList<>();
                for (int i = 3; i < lines.length; i++) {
                    values.add(unpart(lines[i]));
                }
                return new Cursor(true, sort, descending, values, 0);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("cursor", "The cursor is not one this service issued");
            }
        }

        private static String unpart(String part) {
            if (part.equals("-")) {
                return null;
            }
            if (!part.startsWith("+")) {
                throw new IllegalArgumentException("bad value");
            }
            return new String(DECODER.decode(part.substring(1)), StandardCharsets.UTF_8);
        }
    }
}
