package dev.mellon.migrator.engine.apply;

/**
 * A session that held a lock a migration's statement was waiting for, from {@code pg_blocking_pids} and
 * {@code pg_stat_activity}.
 *
 * @param transactionAgeMillis how long its transaction had been open, or {@code null} outside a transaction
 * @param query                the first 200 characters of its current or last query
 */
public record BlockingSession(int pid, String applicationName, String clientAddress, String user, String state,
                              Long transactionAgeMillis, String query) {

    public BlockingSession withoutQuery() {
        return new BlockingSession(pid, applicationName, clientAddress, user, state, transactionAgeMillis, null);
    }
}
