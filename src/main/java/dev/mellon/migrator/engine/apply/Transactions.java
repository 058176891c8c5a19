package dev.mellon.migrator.engine.apply;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One transaction on a session that otherwise runs in autocommit. Whatever ends the work early (an SQL error or any
 * other exception), it is rolled back before autocommit is restored: the driver commits an open transaction when
 * autocommit is switched back on, which would keep half of it.
 */
public final class Transactions {

    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    private Transactions() {
    }

    public static <T> T inOne(Connection session, Work<T> work) throws SQLException {
        session.setAutoCommit(false);
        boolean committed = false;
        try {
            T result = work.run();
            session.commit();
            committed = true;
            return result;
        } finally {
            if (!committed) {
                try {
                    session.rollback();
                } catch (SQLException ignored) {
                    // A broken session rolls back on the server when it closes.
                }
            }
            session.setAutoCommit(true);
        }
    }
}
