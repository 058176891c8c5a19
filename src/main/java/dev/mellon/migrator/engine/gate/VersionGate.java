package dev.mellon.migrator.engine.gate;

import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.engine.core.UnknownMigrationException;
import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.TrackingStore;
import dev.mellon.migrator.engine.lock.ConnectionSource;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * Lets application replicas wait until the database has a migration applied: a long poll woken by the
 * {@code NOTIFY} every apply sends when it commits tracking rows (from any instance: notifications are per database),
 * with a re-check of the history each time. While the listening session is down, waiters re-check once a second, so a
 * lost notification costs at most that.
 */
public final class VersionGate implements AutoCloseable {

    private static final long FALLBACK_POLL_MILLIS = 1000;

    /** Whether the tag was reached in time, and the entry's state when the wait ended. */
    public record Outcome(boolean reached, String tag, MigrationState state, long waitedMillis) {
    }

    private final Migrator migrator;
    private final ConnectionSource sessions;
    private final Object signal = new Object();
    /** Counts wake-ups, so a NOTIFY that arrives while a waiter reads the history is not slept through. */
    private long wakeups;
    private Thread listener;
    private volatile boolean listening;
    private volatile boolean closed;

    public VersionGate(Migrator migrator, ConnectionSource sessions) {
        this.migrator = migrator;
        this.sessions = sessions;
    }

    /**
     * Waits until {@code tag} (or, when {@code null}, the folder's newest entry) is applied, or {@code timeout} passes.
     *
     * @throws UnknownMigrationException when the folder has no such tag
     */
    public Outcome await(String tag, Duration timeout) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        startListening();
        while (true) {
            long seen;
            synchronized (signal) {
                seen = wakeups;
            }
            MigrationFolder folder = migrator.currentFolder();
            String wanted = tag != null ? tag : newest(folder);
            if (wanted == null) {
                return new Outcome(true, null, null, millisSince(started));
            }
            if (folder.find(wanted).isEmpty()) {
                throw new UnknownMigrationException(wanted, "tag");
            }
            MigrationState state = migrator.status(folder).migrations().stream().filter(s -> s.tag().equals(wanted))
                    .findFirst().map(MigrationStatus::state).orElseThrow();
            if (state == MigrationState.APPLIED) {
                return new Outcome(true, wanted, state, millisSince(started));
            }
            long remaining = (deadline - System.nanoTime()) / 1_000_000;
            if (remaining <= 0) {
                return new Outcome(false, wanted, state, millisSince(started));
            }
            synchronized (signal) {
                if (wakeups != seen) {
                    continue;
                }
                try {
                    signal.wait(listening ? remaining : Math.min(remaining, FALLBACK_POLL_MILLIS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Outcome(false, wanted, state, millisSince(started));
                }
            }
        }
    }

    private static String newest(MigrationFolder folder) {
        List<Migration> migrations = folder.migrations();
        return migrations.isEmpty() ? null : migrations.get(migrations.size() - 1).tag();
    }

    private synchronized void startListening() {
        if (listener != null || closed) {
            return;
        }
        listener = new Thread(this::listen, "mellon-version-gate");
        listener.setDaemon(true);
        listener.start();
    }

    /** Holds one listening session for the whole service, reconnecting with a pause when it breaks. */
    private void listen() {
        while (!closed) {
            try (Connection session = sessions.open(); Statement st = session.createStatement()) {
                st.execute("LISTEN " + TrackingStore.channel(migrator.trackingTable()));
                listening = true;
                wake();
                PGConnection pg = session.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null && notifications.length > 0) {
                        wake();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                wake();
                pause();
            }
        }
    }

    private void wake() {
        synchronized (signal) {
            wakeups++;
            signal.notifyAll();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(FALLBACK_POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Override
    public void close() {
        closed = true;
        Thread thread;
        synchronized (this) {
            thread = listener;
        }
        if (thread != null) {
            thread.interrupt();
        }
        wake();
    }
}
