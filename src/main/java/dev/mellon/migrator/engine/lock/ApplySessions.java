package dev.mellon.migrator.engine.lock;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Makes a freshly opened session fit to hold the migration lock and run migrations on. */
final class ApplySessions {

    private ApplySessions() {
    }

    static void prepare(Connection session) throws SQLException {
        session.setAutoCommit(true);
        refusePooledSession(session);
        try (Statement st = session.createStatement()) {
            // Lets the server notice a vanished client (a killed service) within seconds even while a statement
            // runs, so its transaction rolls back and the lock is freed without waiting for TCP timeouts.
            st.execute("set client_connection_check_interval = '2s'");
        } catch (SQLException e) {
            // PostgreSQL before 14 has no such setting; the lock is still freed when the statement ends.
        }
    }

    /**
     * A session-level advisory lock and session {@code SET}s mean nothing behind a transaction pooler (PgBouncer in
     * transaction mode hands each statement to whichever server connection is free), so the apply session must be a
     * direct one. Two statements on it must reach the same backend; otherwise nothing is touched.
     */
    private static void refusePooledSession(Connection session) throws SQLException {
        int first = backendPid(session);
        int second = backendPid(session);
        if (first != second) {
            throw new PooledSessionException(first, second);
        }
    }

    private static int backendPid(Connection session) throws SQLException {
        try (Statement st = session.createStatement(); ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
