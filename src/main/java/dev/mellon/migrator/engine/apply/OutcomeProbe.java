package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.history.TrackingRow;
import dev.mellon.migrator.engine.history.TrackingStore;
import dev.mellon.migrator.engine.lock.ConnectionSource;
import dev.mellon.migrator.folder.Migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * After the apply session was lost, finds out on a new session whether its last transaction committed: a
 * migration's tracking row is written in the same transaction as its work, so the row's presence is the answer.
 *
 * <p>The lost backend may still be alive on the server (a client-side socket timeout leaves it running, possibly in
 * the middle of the COMMIT), and a read taken while it lives could be contradicted a moment later. So the probe first
 * ends that backend and waits until it is gone; only then is what the tracking table says final.
 */
final class OutcomeProbe {

    private static final Duration GONE_WAIT = Duration.ofSeconds(5);
    /** How long to keep trying to reach a server that is restarting, before the answer is outcome-unknown. */
    private static final Duration RECONNECT_WAIT = Duration.ofSeconds(10);

    private final ConnectionSource sessions;
    private final TrackingStore store;

    OutcomeProbe(ConnectionSource sessions, TrackingStore store) {
        this.sessions = sessions;
        this.store = store;
    }

    /**
     * @param lostBackendPid the server pid of the lost session
     * @param interrupted    the migrations whose work was in flight on it, in order
     * @param outside        tags of interrupted migrations that ran outside a transaction: their work may be partly done
     */
    InterruptedOutcome observe(int lostBackendPid, List<Migration> interrupted, Set<String> outside) {
        try (Connection connection = reconnect()) {
            connection.setAutoCommit(true);
            if (!awaitGone(connection, lostBackendPid)) {
                return InterruptedOutcome.unobserved(tags(interrupted), "the lost session (backend pid " + lostBackendPid
                        + ") was still alive on the server after " + GONE_WAIT.toSeconds() + " s");
            }
            List<TrackingRow> rows = store.presence(connection).tracking() ? store.rows(connection) : List.of();
            return classify(rows, interrupted, outside);
        } catch (SQLException | RuntimeException e) {
            return InterruptedOutcome.unobserved(tags(interrupted), "the tracking table could not be read: " + e.getMessage());
        }
    }

    /** The outcome, once the lost transaction can no longer change: a migration is committed when its row exists. */
    static InterruptedOutcome classify(List<TrackingRow> rows, List<Migration> interrupted) {
        return classify(rows, interrupted, Set.of());
    }

    static InterruptedOutcome classify(List<TrackingRow> rows, List<Migration> interrupted, Set<String> outside) {
        List<String> committed = new ArrayList<>();
        List<String> rolledBack = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Migration migration : interrupted) {
            if (rows.stream().anyMatch(r -> recordedBy(r, migration))) {
                committed.add(migration.tag());
            } else if (migration.managesOwnTransaction() || outside.contains(migration.tag())) {
                // Its statements ran in autocommit around its own BEGIN/COMMIT; some may have stayed without a row.
                unknown.add(migration.tag());
            } else {
                rolledBack.add(migration.tag());
            }
        }
        return new InterruptedOutcome(true, committed, rolledBack, unknown, null);
    }

    private static boolean recordedBy(TrackingRow row, Migration migration) {
        return row.createdAt() != null && row.createdAt() == migration.when() && migration.hash().equals(row.hash());
    }

    /**
     * A new session, retried while the server is unreachable or starting up: a crash restart is the commonest cause
     * of a lost apply session, and the tracking table answers as soon as recovery is over.
     */
    private Connection reconnect() throws SQLException {
        long deadline = System.nanoTime() + RECONNECT_WAIT.toNanos();
        while (true) {
            try {
                return sessions.open();
            } catch (SQLException e) {
                if (!ConnectionLoss.mayRecover(e) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("Interrupted while reconnecting", "08006", e);
            }
        }
    }

    /** Ends the lost backend if the server still runs it, and waits until it has exited. */
    private static boolean awaitGone(Connection connection, int pid) throws SQLException {
        // Only a session of ours, in case the pid was already reused.
        try (PreparedStatement st = connection.prepareStatement("select pg_terminate_backend(pid) from pg_stat_activity"
                + " where pid = ? and application_name like 'mellon-migrator%'")) {
            st.setInt(1, pid);
            st.execute();
        } catch (SQLException e) {
            // Not allowed for this role, or already gone: the polling below decides.
        }
        long deadline = System.nanoTime() + GONE_WAIT.toNanos();
        while (true) {
            try (PreparedStatement st = connection.prepareStatement("select 1 from pg_stat_activity where pid = ?")) {
                st.setInt(1, pid);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return true;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private static List<String> tags(List<Migration> migrations) {
        return migrations.stream().map(Migration::tag).toList();
    }
}
