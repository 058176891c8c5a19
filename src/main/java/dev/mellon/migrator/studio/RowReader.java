package dev.mellon.migrator.studio;

import dev.mellon.migrator.web.InvalidRequestException;
import dev.mellon.migrator.engine.core.DatabaseUnavailableException;
import dev.mellon.migrator.engine.core.InsufficientPrivilegeException;
import dev.mellon.migrator.studio.RowQuery.Param;
import dev.mellon.migrator.studio.RowQuery.Plan;
import dev.mellon.migrator.studio.StudioCatalog.ColumnInfo;
import dev.mellon.migrator.studio.StudioCatalog.TableInfo;
import dev.mellon.migrator.studio.StudioCatalog.TableSummary;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the studio's catalog reads and row queries on a pooled connection, always inside a transaction that is
 * {@code READ ONLY}, has a {@code statement_timeout} and {@code search_path = pg_catalog}, and is rolled back at the end.
 * A value that does not cast to its column's type is a 400 naming the column, found before the page query runs.
 */
public final class RowReader {

    /** One cell: {@code text} (maybe cut at the text limit), or for bytea a hex preview and its length in bytes. */
    public record Cell(String text, String hex, Long bytes, Boolean truncated) {
    }

    public record ColumnHeader(String name, String type, boolean primaryKey) {
    }

    public record Page(String schema, String table, List<ColumnHeader> columns, List<List<Cell>> rows, String pagination,
                       List<String> keyColumns, String sort, String dir, int limit, String nextCursor, int textLimit) {
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource pool;
    private final StudioCatalog catalog;
    private final long timeoutMillis;

    public RowReader(DataSource pool, StudioCatalog catalog, Duration statementTimeout) {
        this.pool = pool;
        this.catalog = catalog;
        this.timeoutMillis = Math.max(1, statementTimeout.toMillis());
    }

    public List<TableSummary> tables() {
        return readOnly(catalog::tables);
    }

    public TableInfo table(String schema, String table) {
        return readOnly(connection -> catalog.table(connection, schema, table));
    }

    public Page rows(String schema, String table, RowQuery.Request request) {
        return readOnly(connection -> {
            TableInfo info = catalog.table(connection, schema, table);
            Plan plan = RowQuery.plan(info, request);
            check(connection, plan);
            return page(connection, info, plan);
        });
    }

    /** Each bound value must cast to its column's type, each operator must exist for it, and the sort must be sortable. */
    private static void check(Connection connection, Plan plan) throws SQLException {
        for (Param param : plan.params()) {
            if (param.castType() == null) {
                continue;
            }
            try (PreparedStatement statement = connection.prepareStatement("SELECT ?::" + param.castType())) {
                statement.setString(1, param.value());
                statement.executeQuery().close();
            } catch (SQLException e) {
                if (isCallersValue(e)) {
                    throw new InvalidRequestException(param.field(), ("cursor".equals(param.field()) ? "The cursor's value"
                            : "The filter value \"" + preview(param.value()) + "\"") + " is not a valid "
                            + param.castType() + " for column \"" + param.column() + "\"");
                }
                throw e;
            }
        }
        for (RowQuery.Filter filter : plan.filters()) {
            if (!filter.op().comparison()) {
                continue;
            }
            String sql = "SELECT 1 WHERE NULL::" + filter.column().castType() + " " + filter.op().sql + " NULL::"
                    + filter.column().castType();
            try (Statement statement = connection.createStatement()) {
                statement.executeQuery(sql).close();
            } catch (SQLException e) {
                if ("42883".equals(e.getSQLState())) {
                    throw new InvalidRequestException("filter", "Column \"" + filter.column().name() + "\" of type "
                            + filter.column().type() + " cannot be compared with " + filter.op().name().toLowerCase());
                }
                throw e;
            }
        }
        if (plan.sortCheckSql() != null) {
            try (Statement statement = connection.createStatement()) {
                statement.executeQuery(plan.sortCheckSql()).close();
            } catch (SQLException e) {
                if ("42883".equals(e.getSQLState())) {
                    throw new InvalidRequestException("sort", "Column \"" + plan.sort() + "\" cannot be sorted: its type has no ordering");
                }
                throw e;
            }
        }
    }

    private static Page page(Connection connection, TableInfo info, Plan plan) throws SQLException {
        List<List<Cell>> rows = new ArrayList<>();
        List<String> lastKey = null;
        boolean more = false;
        try (PreparedStatement statement = connection.prepareStatement(plan.sql())) {
            int index = 1;
            for (Param param : plan.params()) {
                statement.setString(index++, param.value());
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    if (rows.size() == plan.limit()) {
                        more = true;
                        break;
                    }
                    List<Cell> row = new ArrayList<>();
                    int position = 1;
                    for (ColumnInfo column : plan.columns()) {
                        if (RowQuery.isBytea(column)) {
                            long bytes = rs.getLong(position);
                            boolean isNull = rs.wasNull();
                            String hex = rs.getString(position + 1);
                            position += 2;
                            row.add(isNull ? null : new Cell(null, hex, bytes, bytes > RowQuery.BYTEA_PREVIEW_BYTES));
                        } else {
                            String text = rs.getString(position++);
                            if (text == null) {
                                row.add(null);
                            } else if (text.length() > plan.textLimit()) {
                                row.add(new Cell(text.substring(0, plan.textLimit()), null, null, true));
                            } else {
                                row.add(new Cell(text, null, null, false));
                            }
                        }
                    }
                    rows.add(row);
                    List<String> key = new ArrayList<>();
                    for (int i = 0; i < plan.keyColumns().size(); i++) {
                        key.add(rs.getString(position + i));
                    }
                    lastKey = key;
                }
            }
        }
        String next = null;
        if (more) {
            next = plan.keyset()
                    ? new RowQuery.Cursor(true, plan.sort(), plan.descending(), lastKey, 0).encode()
                    : new RowQuery.Cursor(false, plan.sort(), plan.descending(), List.of(), plan.offset() + plan.limit()).encode();
        }
        List<ColumnHeader> headers = plan.columns().stream()
                .map(c -> new ColumnHeader(c.name(), c.type(), c.primaryKey())).toList();
        return new Page(info.schema(), info.name(), headers, rows, plan.keyset() ? "keyset" : "offset", info.primaryKey(),
                plan.sort(), plan.descending() ? "desc" : "asc", plan.limit(), next, plan.textLimit());
    }

    private <T> T readOnly(Work<T> work) {
        try (Connection connection = pool.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET TRANSACTION READ ONLY");
                    statement.execute("SET LOCAL statement_timeout = " + timeoutMillis);
                    statement.execute("SET LOCAL search_path = pg_catalog");
                }
                return work.run(connection);
            } finally {
                try {
                    connection.rollback();
                } finally {
                    connection.setAutoCommit(autoCommit);
                }
            }
        } catch (SQLException e) {
            if ("57014".equals(e.getSQLState())) {
                throw new StudioTimeoutException(timeoutMillis);
            }
            if ("42501".equals(e.getSQLState())) {
                throw new InsufficientPrivilegeException("The database role may not read this: " + e.getMessage(), e);
            }
            if ("25006".equals(e.getSQLState())) {
                throw new StudioQueryRefusedException("The relation tried to write while it was read (a view calling a "
                        + "function with side effects?): the studio reads in a read-only transaction", e.getSQLState(), e);
            }
            String state = e.getSQLState();
            if (state != null && (state.startsWith("42") || state.startsWith("22") || state.startsWith("0A")
                    || state.startsWith("2F") || state.startsWith("38") || state.startsWith("39") || state.equals("P0001"))) {
                throw new StudioQueryRefusedException("PostgreSQL refused the query (SQLSTATE " + state + ")", state, e);
            }
            throw new DatabaseUnavailableException("Studio query failed: " + e.getMessage(), e.getSQLState(), e);
        }
    }

    /** Data exceptions (class 22) and a value a type input function refuses: the caller's value is at fault. */
    private static boolean isCallersValue(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.equals("42804") || state.equals("P0001"));
    }

    private static String preview(String value) {
        return value.length() > 60 ? value.substring(0, 60) + "…" : value;
    }
}
