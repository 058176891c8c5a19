package dev.mellon.migrator.engine.apply;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the INVALID indexes of the connected database ({@code pg_index.indisvalid = false}): what a failed or killed
 * {@code CREATE INDEX CONCURRENTLY} (or {@code REINDEX … CONCURRENTLY}, whose leftovers end in {@code _ccnew}) leaves
 * behind. PostgreSQL keeps maintaining such an index on every write but never uses it for reads, and
 * {@code CREATE INDEX CONCURRENTLY IF NOT EXISTS} skips it because the name exists.
 */
public final class InvalidIndexQuery {

    /**
     * One INVALID index.
     *
     * @param beingBuilt true when a concurrent build of it is running right now (an index is INVALID until its build
     *                   ends), so it may still become valid
     */
    public record Row(String schema, String table, String index, boolean beingBuilt) {
    }

    static final String SQL = """
            select n.nspname, t.relname, c.relname,
                   exists (select 1 from pg_stat_progress_create_index p where p.index_relid = i.indexrelid)
              from pg_index i
              join pg_class c on c.oid = i.indexrelid
              join pg_class t on t.oid = i.indrelid
              join pg_namespace n on n.oid = c.relnamespace
             where not i.indisvalid
               and n.nspname not in ('pg_catalog', 'information_schema')
               and n.nspname not like 'pg\\_temp\\_%' and n.nspname not like 'pg\\_toast\\_temp\\_%'
             order by 1, 2, 3""";

    private InvalidIndexQuery() {
    }

    public static List<Row> read(Connection connection) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(SQL)) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
            }
        }
        return rows;
    }
}
