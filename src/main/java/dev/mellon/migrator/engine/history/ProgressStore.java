package dev.mellon.migrator.engine.history;

import dev.mellon.migrator.engine.core.ExecutionMode;
import dev.mellon.migrator.folder.Migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Reads and writes the progress of migrations that run outside a transaction (see {@link Progress}). */
public final class ProgressStore {

    private final TrackingTable table;

    public ProgressStore(TrackingTable table) {
        this.table = table;
    }

    /** Every marker; the table must exist (see {@link TrackingStore#presence}). */
    public List<Progress> all(Connection connection) throws SQLException {
        List<Progress> progress = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("select tag, created_at, hash, mode, statements_done, statements_total, started_at,"
                     + " updated_at from " + table.qualifiedProgressName() + " order by created_at, tag")) {
            while (rs.next()) {
                progress.add(new Progress(rs.getString(1), rs.getLong(2), rs.getString(3),
                        mode(rs.getString(4)), rs.getInt(5),
                        rs.getInt(6), rs.getObject(7, OffsetDateTime.class), rs.getObject(8, OffsetDateTime.class)));
            }
        }
        return progress;
    }

    /** A marker's mode; one this version does not know (a table edited by hand) counts as outside a transaction. */
    private static ExecutionMode mode(String wireName) {
        try {
            return ExecutionMode.valueOf(wireName.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return ExecutionMode.NO_TRANSACTION;
        }
    }

    /** Records that a migration is starting (or resuming) in autocommit; it must be committed before its first statement. */
    public void start(Connection connection, UUID runId, Migration migration, ExecutionMode mode, int done, int total)
            throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("insert into " + table.qualifiedProgressName()
                + " (tag, created_at, hash, mode, statements_done, statements_total, run_id) values (?, ?, ?, ?, ?, ?, ?::uuid)"
                + " on conflict (created_at, tag) do update set hash = excluded.hash, mode = excluded.mode,"
                + " statements_done = excluded.statements_done, statements_total = excluded.statements_total,"
                + " run_id = excluded.run_id, updated_at = now()")) {
            st.setString(1, migration.tag());
            st.setLong(2, migration.when());
            st.setString(3, migration.hash());
            st.setString(4, mode.wireName());
            st.setInt(5, done);
            st.setInt(6, total);
            st.setString(7, runId.toString());
            st.executeUpdate();
        }
    }

    public void advance(Connection connection, Migration migration, int done) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("update " + table.qualifiedProgressName()
                + " set statements_done = ?, updated_at = now() where created_at = ? and tag = ?")) {
            st.setInt(1, done);
            st.setLong(2, migration.when());
            st.setString(3, migration.tag());
            st.executeUpdate();
        }
    }

    /** Removes the marker; called in the transaction that writes the migration's tracking row. */
    public void finish(Connection connection, Migration migration) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("delete from " + table.qualifiedProgressName()
                + " where created_at = ? and tag = ?")) {
            st.setLong(1, migration.when());
            st.setString(2, migration.tag());
            st.executeUpdate();
        }
    }
}
