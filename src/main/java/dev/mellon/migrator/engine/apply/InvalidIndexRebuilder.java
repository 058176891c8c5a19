package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.folder.Migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces the INVALID indexes failed concurrent builds left: each is dropped concurrently and built again
 * concurrently from its own definition ({@code pg_get_indexdef}), in autocommit on the apply session. An index a build
 * is still working on is left alone.
 */
final class InvalidIndexRebuilder {

    private InvalidIndexRebuilder() {
    }

    /** @return a line per index rebuilt, for the reply's warnings */
    static List<String> rebuild(Connection session, List<Migration> migrations) throws SQLException {
        List<String> rebuilt = new ArrayList<>();
        for (InvalidIndexes.InvalidIndex index : InvalidIndexes.find(session, migrations)) {
            if (index.beingBuilt()) {
                continue;
            }
            String quoted = TrackingTable.quote(index.schema()) + "." + TrackingTable.quote(index.index());
            String definition = definition(session, quoted);
            if (definition == null) {
                continue;
            }
            String build = definition.replaceFirst("^CREATE (UNIQUE )?INDEX ", "CREATE $1INDEX CONCURRENTLY ");
            try (Statement st = session.createStatement()) {
                st.execute("DROP INDEX CONCURRENTLY IF EXISTS " + quoted);
            } catch (SQLException e) {
                rebuilt.add("Could not drop INVALID index " + quoted + " (SQLSTATE " + e.getSQLState() + "); it is left as it was");
                continue;
            }
            try (Statement st = session.createStatement()) {
                st.execute(build);
            } catch (SQLException e) {
                // The invalid index is gone and the new build failed too (e.g. duplicates): say how to build it by hand.
                rebuilt.add("Dropped INVALID index " + quoted + ", but building it again failed (SQLSTATE " + e.getSQLState()
                        + ": " + e.getMessage() + "); fix the cause and run: " + build);
                continue;
            }
            rebuilt.add("Rebuilt INVALID index " + index.qualifiedIndex() + " on " + index.schema() + "." + index.table()
                    + (index.migration() == null ? "" : " (built by " + index.migration() + ")"));
        }
        return rebuilt;
    }

    private static String definition(Connection session, String quotedIndex) throws SQLException {
        try (PreparedStatement st = session.prepareStatement("select pg_get_indexdef(to_regclass(?))")) {
            st.setString(1, quotedIndex);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
