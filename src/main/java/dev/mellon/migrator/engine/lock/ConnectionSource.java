package dev.mellon.migrator.engine.lock;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a new, unpooled database session. Applies hold a session-level advisory lock for their whole run, so they
 * need a session of their own that is closed (and the lock with it) when the run ends, never one returned to a pool.
 */
@FunctionalInterface
public interface ConnectionSource {
    Connection open() throws SQLException;

    /**
     * Hands back a session whose run ended cleanly (its lock released, no transaction open). Closing it is always
     * right; a source may instead keep it for the next {@link #open()}, which must then return it reset.
     */
    default void finished(Connection session) throws SQLException {
        session.close();
    }
}
