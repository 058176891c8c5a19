package dev.mellon.migrator.engine.apply;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The one policy for sessions that run DDL under the migration lock (apply, push, rollback): a statement that waits
 * longer than {@code lock_timeout} for another session's lock fails, naming its blockers, instead of queueing every
 * query of the application behind it; {@code statement_timeout} bounds each statement. A timeout left {@code null}
 * keeps the server's setting.
 */
final class SessionTimeouts {

    private SessionTimeouts() {
    }

    static void set(Connection session, ApplyOptions.Timeouts timeouts) throws SQLException {
        try (Statement st = session.createStatement()) {
            if (timeouts.lock() != null) {
                st.execute("set lock_timeout = " + timeouts.lock().toMillis());
            }
            if (timeouts.statement() != null) {
                st.execute("set statement_timeout = " + timeouts.statement().toMillis());
            }
        }
    }
}
