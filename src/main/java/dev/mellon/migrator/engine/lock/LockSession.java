package dev.mellon.migrator.engine.lock;

import java.time.OffsetDateTime;

/**
 * A database session that holds or waits for the migration lock, from {@code pg_locks} and {@code pg_stat_activity}.
 */
public record LockSession(int pid, String applicationName, String clientAddress, String user,
                          OffsetDateTime backendStart, OffsetDateTime stateChange, String state, String query) {

    public LockSession withoutQuery() {
        return new LockSession(pid, applicationName, clientAddress, user, backendStart, stateChange, state, null);
    }
}
