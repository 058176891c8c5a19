package dev.mellon.migrator.engine.lock;

import dev.mellon.migrator.engine.history.TrackingTable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The session-level advisory lock that serialises every apply into one tracking table. It is taken with
 * {@code pg_try_advisory_lock} and polled with backoff rather than waited for with {@code pg_advisory_lock}: a
 * blocked waiter would deadlock with {@code CREATE INDEX CONCURRENTLY}, which waits for every open transaction. The
 * lock belongs to the session, so a crashed service releases it when its connection closes.
 */
final class MigrationLock {

    private static final String APPLICATION_NAME = "mellon-migrator";

    private final TrackingTable table;
    private final int key;

    MigrationLock(TrackingTable table) {
        this.table = table;
        this.key = table.lockKey();
    }

    /** The {@code application_name} a polling waiter shows in {@code pg_stat_activity}. */
    String waitingApplicationName() {
        return APPLICATION_NAME + " waiting " + Integer.toHexString(key);
    }

    String holdingApplicationName() {
        return APPLICATION_NAME + " applying " + Integer.toHexString(key);
    }

    boolean tryAcquire(Connection session) throws SQLException {
        try (PreparedStatement st = session.prepareStatement("select pg_try_advisory_lock(?, ?)")) {
            st.setInt(1, TrackingTable.LOCK_NAMESPACE);
            st.setInt(2, key);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** {@code true} when the session held the lock and no longer does. */
    boolean release(Connection session) throws SQLException {
        try (PreparedStatement st = session.prepareStatement("select pg_advisory_unlock(?, ?)")) {
            st.setInt(1, TrackingTable.LOCK_NAMESPACE);
            st.setInt(2, key);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    static void setApplicationName(Connection session, String name) throws SQLException {
        try (PreparedStatement st = session.prepareStatement("select set_config('application_name', ?, false)")) {
            st.setString(1, name);
            st.execute();
        }
    }

    /** The holder and the waiters, as the database sees them right now. */
    /**
     * The sessions of this database that hold or wait for the advisory lock (a two-key lock, {@code objsubid} 2), and
     * the waiters that poll instead of waiting (by their application name).
     */
    private static final String HOLDERS_AND_WAITERS = """
            select a.pid, a.application_name, host(a.client_addr), a.usename, a.backend_start, a.state_change,
                   a.state, a.query, coalesce(l.granted, false) as granted
              from pg_stat_activity a
              left join pg_locks l on l.pid = a.pid and l.locktype = 'advisory' and l.objsubid = 2
                    and l.classid::bigint = ? and l.objid::bigint = ?
                    and l.database = (select oid from pg_database where datname = current_database())
             where a.datname = current_database() and (l.pid is not null or a.application_name = ?)
             order by a.backend_start""";

    LockStatus inspect(Connection connection) throws SQLException {
        long classId = Integer.toUnsignedLong(TrackingTable.LOCK_NAMESPACE);
        long objId = Integer.toUnsignedLong(key);
        LockSession holder = null;
        List<LockSession> waiters = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(HOLDERS_AND_WAITERS)) {
            st.setLong(1, classId);
            st.setLong(2, objId);
            st.setString(3, waitingApplicationName());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    LockSession session = new LockSession(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class), rs.getObject(6, OffsetDateTime.class), rs.getString(7),
                            rs.getString(8));
                    if (rs.getBoolean(9)) {
                        holder = session;
                    } else {
                        waiters.add(session);
                    }
                }
            }
        }
        return new LockStatus(table.qualifiedName(), classId, objId, holder, waiters);
    }
}
