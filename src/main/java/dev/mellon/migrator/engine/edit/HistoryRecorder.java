package dev.mellon.migrator.engine.edit;

import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.engine.apply.Transactions;
import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.core.TransactionMode;
import dev.mellon.migrator.engine.core.UnknownMigrationException;
import dev.mellon.migrator.engine.history.HistoryReader;
import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.StatusReport;
import dev.mellon.migrator.engine.history.TrackingStore;
import dev.mellon.migrator.folder.MigrationFolder;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Records by hand what the history cannot tell by itself, under the apply lock and audited with a reason: that an
 * entry's SQL was applied some other way ({@code mark-applied}, the seed's "relation already exists" fix), or that an
 * edit of an applied file is deliberate ({@code accept-change}).
 */
public final class HistoryRecorder {

    /** States an entry may be marked applied from: not applied, and not a question a person must settle first. */
    private static final Set<MigrationState> MARKABLE = Set.of(MigrationState.PENDING, MigrationState.OUT_OF_ORDER,
            MigrationState.MOVED, MigrationState.INTERRUPTED);

    /** What was recorded. */
    public record Recorded(UUID runId, String tag, String action, MigrationState before, MigrationState after) {
    }

    private final Migrator migrator;
    private final HistoryReader history;

    public HistoryRecorder(Migrator migrator) {
        this.migrator = migrator;
        this.history = migrator.history();
    }

    /**
     * Writes drizzle's tracking row for {@code tag} without running its SQL, removing an interrupted run's marker in
     * the same transaction.
     */
    public Recorded markApplied(String tag, String reason, Duration wait, RunContext context) {
        requireReason(reason);
        return migrator.withLock(wait, session -> {
            MigrationFolder folder = migrator.folder();
            history.store().ensureTables(session, folder);
            MigrationStatus status = find(history.statusOn(session, folder), tag);
            if (!MARKABLE.contains(status.state())) {
                throw new HistoryEditRefusedException(tag, status.state(), "mark-applied",
                        "only a pending, out-of-order, moved or interrupted entry can be marked applied");
            }
            UUID runId = UUID.randomUUID();
            write(session, () -> {
                history.store().insertTrackingRows(session, List.of(status.migration()));
                history.progress().finish(session, status.migration());
                history.store().notifyApplied(session, tag);
                history.store().insertAuditRows(session, runId, List.of(new TrackingStore.AuditEntry(status.migration(),
                        "marked-applied", 0, reason)), TransactionMode.ALL, context);
            });
            return new Recorded(runId, tag, "marked-applied", status.state(), MigrationState.APPLIED);
        });
    }

    /** Records that the edit of an applied file is deliberate: the entry counts as applied with its new hash. */
    public Recorded acceptChange(String tag, String reason, Duration wait, RunContext context) {
        requireReason(reason);
        return migrator.withLock(wait, session -> {
            MigrationFolder folder = migrator.folder();
            history.store().ensureTables(session, folder);
            MigrationStatus status = find(history.statusOn(session, folder), tag);
            if (status.state() != MigrationState.CHANGED) {
                throw new HistoryEditRefusedException(tag, status.state(), "accept-change",
                        "only a changed entry (its file's hash differs from the tracking row at its when) has a change to accept");
            }
            UUID runId = UUID.randomUUID();
            write(session, () -> history.store().insertAuditRows(session, runId, List.of(new TrackingStore.AuditEntry(
                    status.migration(), "accepted-change", 0, reason)), TransactionMode.ALL, context));
            return new Recorded(runId, tag, "accepted-change", status.state(), MigrationState.APPLIED);
        });
    }

    private interface Writes {
        void run() throws java.sql.SQLException;
    }

    private static void write(Connection session, Writes writes) throws java.sql.SQLException {
        Transactions.inOne(session, () -> {
            writes.run();
            return null;
        });
    }

    private static MigrationStatus find(StatusReport report, String tag) {
        return report.migrations().stream().filter(s -> s.tag().equals(tag)).findFirst()
                .orElseThrow(() -> new UnknownMigrationException(tag, null));
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason");
        }
    }
}
