package dev.mellon.migrator.engine.apply;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches, from a second connection, which sessions block the apply session while it runs, so that a statement that
 * fails on its lock timeout can name them: by the time the error arrives the blocker may have moved on, and the error
 * itself does not say who it was. One cheap catalog query every {@link #INTERVAL_MILLIS} ms, only while an apply runs
 * with a lock timeout.
 */
final class BlockerWatch implements AutoCloseable {

    static final long INTERVAL_MILLIS = 200;

    /** The sessions that block a backend, oldest transaction first. */
    private static final String BLOCKERS = """
            select pid, application_name, host(client_addr), usename, state,
                   (extract(epoch from now() - xact_start) * 1000)::bigint, left(query, 200)
              from pg_stat_activity
             where pid = any(pg_blocking_pids(?))
             order by xact_start nulls last""";

    private final ScheduledExecutorService timer;
    private final Connection connection;
    private volatile List<BlockingSession> lastSeen = List.of();

    private BlockerWatch(ScheduledExecutorService timer, Connection connection) {
        this.timer = timer;
        this.connection = connection;
    }

    /** Starts watching {@code pid}; with no connection to spare, it watches nothing and names no one. */
    static BlockerWatch start(DataSource pool, int pid) {
        Connection connection;
        try {
            connection = pool.getConnection();
        } catch (SQLException e) {
            return new BlockerWatch(null, null);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "mellon-blocker-watch-" + pid);
            thread.setDaemon(true);
            return thread;
        });
        BlockerWatch watch = new BlockerWatch(timer, connection);
        timer.scheduleWithFixedDelay(() -> watch.sample(pid), INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        return watch;
    }

    private void sample(int pid) {
        try (PreparedStatement st = connection.prepareStatement(BLOCKERS)) {
            st.setInt(1, pid);
            List<BlockingSession> seen = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    seen.add(new BlockingSession(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getObject(6, Long.class), rs.getString(7)));
                }
            }
            if (!seen.isEmpty()) {
                lastSeen = List.copyOf(seen);
            }
        } catch (SQLException e) {
            // A missed sample only means a blocker may go unnamed.
        }
    }

    /** The sessions last seen blocking the apply session, and forgets them (the next statement starts afresh). */
    List<BlockingSession> takeLastSeen() {
        List<BlockingSession> seen = lastSeen;
        lastSeen = List.of();
        return seen;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Returned to the pool broken: the pool validates it.
            }
        }
    }
}
