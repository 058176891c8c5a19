package dev.mellon.migrator.engine.history;

import dev.mellon.migrator.engine.core.DatabaseErrors;
import dev.mellon.migrator.folder.FolderFormat;
import dev.mellon.migrator.folder.MigrationFolder;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One tracking table's history as the use cases read and write it: the stores of its tables, and the status of a
 * folder against them, on the pool for a read-only answer (computed again only when the folder or the tables changed)
 * or on a session the caller holds under the lock.
 */
public final class HistoryReader {

    private final DataSource readPool;
    private final TrackingStore store;
    private final ProgressStore progress;
    private final RunStore runs;
    private final TrackingReads reads;
    private volatile LastReport lastReport;

    /** @param readPool for short reads; pooled connections are fine */
    public HistoryReader(DataSource readPool, TrackingTable trackingTable) {
        this.readPool = Objects.requireNonNull(readPool);
        this.store = new TrackingStore(trackingTable);
        this.progress = new ProgressStore(trackingTable);
        this.runs = new RunStore(trackingTable);
        this.reads = new TrackingReads(store, progress);
    }

    public TrackingTable table() {
        return store.table();
    }

    public TrackingStore store() {
        return store;
    }

    public ProgressStore progress() {
        return progress;
    }

    /**
     * The status of a folder the caller has already read, for a read-only answer: the tables are read again only when
     * PostgreSQL's snapshot moved ({@link TrackingReads}), and the report is computed again only when the folder or
     * the tables changed.
     */
    public StatusReport status(MigrationFolder folder) {
        TrackingReads.State state;
        try (Connection connection = readPool.getConnection()) {
            state = reads.read(connection);
        } catch (SQLException e) {
            throw unavailable(e);
        }
        LastReport last = lastReport;
        if (last != null && last.folder() == folder && last.state() == state) {
            return last.report();
        }
        StatusReport report = report(folder, state);
        lastReport = new LastReport(folder, state, report);
        return report;
    }

    /** The newest read-only report and what it was computed from (compared by identity: both are cached copies). */
    private record LastReport(MigrationFolder folder, TrackingReads.State state, StatusReport report) {
    }

    /** The status on a session the caller holds (under the lock, or for a dry run), read fresh. */
    public StatusReport statusOn(Connection connection, MigrationFolder folder) throws SQLException {
        return report(folder, reads.readFresh(connection));
    }

    /** Who applied each entry this service applied, and how long it took; empty before our audit table exists. */
    public Map<String, AuditDetail> auditDetails() {
        try (Connection connection = readPool.getConnection()) {
            return store.presence(connection).audit() ? store.auditDetails(connection) : Map.of();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** drizzle's table as it is now, read on the pool without the lock: whether it exists and is named, and its rows. */
    public TrackingReads.State readTracking() {
        try (Connection connection = readPool.getConnection()) {
            return reads.readFresh(connection);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The recorded apply runs, newest first (an empty page before the first run). */
    public RunStore.Page runs(String outcome, int limit, Long before) {
        return runs.list(readPool, outcome, limit, before);
    }

    /** Records a finished run in the run history, on the pool. */
    public void record(RunStore.Run run) {
        runs.record(readPool, run);
    }

    private static StatusReport report(MigrationFolder folder, TrackingReads.State state) {
        List<TrackingRow> rows = state.rows();
        if (folder.format() == FolderFormat.DIRECTORIES && state.presence().tracking() && !state.presence().named()) {
            // A 0.x table meeting a 1.0 folder: shown as the upgrade the next apply makes first will name it.
            rows = TrackingNames.match(folder, rows).named(rows);
        }
        StatusReport report = StatusCalculator.calculate(folder, rows, state.appliedAt());
        return StatusCalculator.withProgress(report, state.progress());
    }

    private static RuntimeException unavailable(SQLException e) {
        return DatabaseErrors.translate("The database refused the operation", e);
    }
}
