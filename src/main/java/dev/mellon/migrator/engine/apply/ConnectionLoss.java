package dev.mellon.migrator.engine.apply;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Tells a lost connection from a statement PostgreSQL refused. After a refusal the transaction is known to be rolled
 * back; after a loss it is not, since the COMMIT may have reached the server before the socket broke.
 */
final class ConnectionLoss {

    private ConnectionLoss() {
    }

    static boolean is(SQLException e) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable t = e;
        while (t != null && seen.add(t)) {
            if (t instanceof SQLException sql && lostState(sql.getSQLState())) {
                return true;
            }
            // The driver wraps socket failures (resets, timeouts: SocketTimeoutException is an IOException).
            if (t instanceof IOException) {
                return true;
            }
            t = t.getCause() != null ? t.getCause()
                    : t instanceof SQLException sql ? sql.getNextException() : null;
        }
        return false;
    }

    /**
     * Whether a failed attempt to connect may succeed shortly: the server is unreachable (class 08) or restarting
     * (57P03, "the database system is starting up"; 57P01/57P02 during its shutdown).
     */
    static boolean mayRecover(SQLException e) {
        return is(e) || "57P03".equals(e.getSQLState());
    }

    /**
     * Class 08 is the connection's own failure; 57P01 and 57P02 are the server ending the session
     * ({@code pg_terminate_backend}, a shutdown, a crash of another backend) while a statement ran.
     */
    private static boolean lostState(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.equals("57P01") || sqlState.equals("57P02"));
    }
}
