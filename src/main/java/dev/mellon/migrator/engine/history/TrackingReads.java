package dev.mellon.migrator.engine.history;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The tracking, audit and progress tables as the read-only answers see them (status, pending, the version gate, the
 * readiness check), kept for as long as PostgreSQL proves that nothing has committed since they were read.
 *
 * <p>The proof is the server's transaction snapshot ({@code pg_current_snapshot()}): its text names the newest
 * completed transaction id and every transaction still in progress, cluster-wide. Two equal snapshots see exactly the
 * same committed data in every table, so while the snapshot has not moved, the rows cannot have either (read-only
 * transactions take no transaction id and do not move it). The rows are read between two snapshots and kept only when
 * both are equal, which ties them to that snapshot. On a busy server every commit elsewhere moves the snapshot too:
 * reads then simply go to the tables, as they would without this class. Applies never use it; they read on their own
 * session under the lock. A standby (whose snapshots leave out some running transactions) and a connection inside a
 * transaction always read the tables.
 */
public final class TrackingReads {

    /** What the read-only answers need from the database. */
    public record State(TrackingStore.Presence presence, List<TrackingRow> rows, Map<String, OffsetDateTime> appliedAt,
                 List<Progress> progress) {
    }

    private record Cached(String snapshot, State state) {
    }

    private final TrackingStore store;
    private final ProgressStore progress;
    private volatile Cached cached;

    public TrackingReads(TrackingStore store, ProgressStore progress) {
        this.store = store;
        this.progress = progress;
    }

    public State read(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            // A backend's own open transaction is not in its snapshot: its uncommitted rows must not be kept.
            return readFresh(connection);
        }
        String before = snapshot(connection);
        if (before == null) {
            return readFresh(connection);
        }
        Cached hit = cached;
        if (hit != null && hit.snapshot().equals(before)) {
            return hit.state();
        }
        State state = readFresh(connection);
        if (before.equals(snapshot(connection))) {
            cached = new Cached(before, state);
        }
        return state;
    }

    /** The tables as they are now, without looking at or filling the cache (applies, under the lock). */
    State readFresh(Connection connection) throws SQLException {
        TrackingStore.Presence presence = store.presence(connection);
        return new State(presence, presence.tracking() ? store.rows(connection) : List.of(),
                presence.audit() ? store.appliedAt(connection) : Map.of(),
                presence.progress() ? progress.all(connection) : List.of());
    }

    /**
     * The snapshot's text, prefixed with the server's start time: transaction ids are handed out again after a
     * failover that lost commits, a restore or a fresh {@code initdb}, and the same text must not stand for another
     * history. {@code null} on a standby, whose snapshots do not list every transaction still running.
     */
    private static String snapshot(Connection connection) throws SQLException {
        // pg_current_snapshot() arrived in PostgreSQL 13; its older name still works there and before.
        String function = connection.getMetaData().getDatabaseMajorVersion() >= 13 ? "pg_current_snapshot()" : "txid_current_snapshot()";
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(
                "select pg_is_in_recovery(), pg_postmaster_start_time()::text || ' ' || " + function + "::text")) {
            rs.next();
            return rs.getBoolean(1) ? null : rs.getString(2);
        }
    }
}
