package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.ExecutionMode;
import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.core.TransactionMode;
import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.Progress;
import dev.mellon.migrator.engine.history.ProgressStore;
import dev.mellon.migrator.engine.history.StatusReport;
import dev.mellon.migrator.engine.history.TrackingStore;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.SqlScanner;
import dev.mellon.migrator.folder.StatementKinds;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One run's execution of its plan on the locked session: transactions as the plan's steps say, statements with
 * progress markers outside a transaction, tracking and audit rows committed with the work they record, and the
 * failure report of whatever stops it.
 */
final class PlanExecution {
    private final DataSource readPool;
    private final TrackingStore store;
    private final ProgressStore progress;
    private final OutcomeProbe probe;
    private final Connection session;
    private final UUID runId;
    private final ApplyOptions options;
    private final RunContext context;
    private final ApplyPlan plan;
    private final Map<String, MigrationStatus> statusBefore = new HashMap<>();
    private final List<String> committed = new ArrayList<>();
    private final List<Migration> uncommitted = new ArrayList<>();
    private final List<Migration> uncommittedOutside = new ArrayList<>();
    private final List<TrackingStore.AuditEntry> uncommittedAudit = new ArrayList<>();
    private final List<AppliedMigration> applied = new ArrayList<>();
    private final int backendPid;
    private final ApplyListener listener;
    /** How each planned migration runs, decided once: the run and its warnings read the same steps. */
    private final List<ExecutionModes.Step> steps;
    private BlockerWatch blockers;
    /** The migration running outside a transaction right now, and how many of its statements are done. */
    private ExecutionModes.Step outsideStep;
    /** The outside migration whose statements are all done while its tracking row is being committed. */
    private ExecutionModes.Step committingOutside;
    private int outsideDone;
    /** Whether a concurrent index build (which leaves an INVALID index when it fails) ran to its end. */
    private boolean builtIndexConcurrently;

    PlanExecution(DataSource readPool, TrackingStore store, ProgressStore progress, OutcomeProbe probe, Connection session,
                  UUID runId, ApplyOptions options, RunContext context, StatusReport report, ApplyPlan plan,
                  ApplyListener listener) throws SQLException {
        this.readPool = readPool;
        this.store = store;
        this.progress = progress;
        this.probe = probe;
        this.listener = listener;
        this.steps = ExecutionModes.of(plan.migrations());
        this.session = session;
        this.backendPid = session.unwrap(PGConnection.class).getBackendPID();
        this.runId = runId;
        this.options = options;
        this.context = context;
        this.plan = plan;
        report.migrations().forEach(s -> statusBefore.put(s.tag(), s));
        // An edit the caller allowed is written down, so the audit trail shows who accepted which new file.
        for (MigrationStatus c : report.inState(MigrationState.CHANGED)) {
            uncommittedAudit.add(new TrackingStore.AuditEntry(c.migration(), "accepted-change", 0));
        }
    }

    /** How each planned migration runs (for the run's warnings). */
    List<ExecutionModes.Step> steps() {
        return steps;
    }

    /** Whether a concurrent index build ran to its end (its failure elsewhere may have left an INVALID index). */
    boolean builtIndexConcurrently() {
        return builtIndexConcurrently;
    }

    List<AppliedMigration> run() throws SQLException {
        applyTimeouts();
        try {
            for (ExecutionModes.Step step : steps) {
                if (step.mode() != ExecutionMode.TRANSACTION) {
                    commitPending();
                    runOutside(step);
                    continue;
                }
                if (session.getAutoCommit()) {
                    session.setAutoCommit(false);
                }
                long start = System.nanoTime();
                executeStatements(step, 0);
                record(step, start, null);
                // A later migration uses an enum value this one adds: PostgreSQL needs it committed first (55P04).
                if (options.transactionMode() == TransactionMode.EACH || step.commitAfter()) {
                    commitPending();
                }
            }
            commitPending();
            return applied;
        } finally {
            if (blockers != null) {
                blockers.close();
            }
        }
    }

    /** The caller's lock and statement timeouts, for this dedicated session only; watched when they are set. */
    private void applyTimeouts() throws SQLException {
        ApplyOptions.Timeouts timeouts = options.timeouts();
        SessionTimeouts.set(session, timeouts);
        if (timeouts.lock() != null && !timeouts.lock().isZero()
                || timeouts.statement() != null && !timeouts.statement().isZero()) {
            blockers = BlockerWatch.start(readPool, backendPid);
        }
    }

    private void record(ExecutionModes.Step step, long start, Integer resumedFrom) {
        Migration migration = step.migration();
        long millis = (System.nanoTime() - start) / 1_000_000;
        uncommitted.add(migration);
        uncommittedAudit.add(new TrackingStore.AuditEntry(migration, action(migration, resumedFrom != null), millis));
        applied.add(new AppliedMigration(migration.tag(), migration.when(), migration.statements().size(), millis,
                step.mode().wireName(), resumedFrom));
        listener.migrationDone(migration.tag(), millis);
    }

    private String action(Migration migration, boolean resumed) {
        if (resumed) {
            return "applied-resumed";
        }
        return switch (statusBefore.get(migration.tag()).state()) {
            case OUT_OF_ORDER -> "applied-out-of-order";
            // Its bytes ran before under another created_at; this run added the row drizzle expects at its when.
            case MOVED -> "applied-moved";
            default -> "applied";
        };
    }

    /**
     * Writes the tracking and audit rows of the open transaction's migrations, removes the progress markers of
     * those that ran outside a transaction, and commits, all at once.
     */
    private void commitPending() throws SQLException {
        if (uncommitted.isEmpty() && uncommittedAudit.isEmpty()) {
            return;
        }
        try {
            if (session.getAutoCommit()) {
                session.setAutoCommit(false);
            }
            store.insertTrackingRows(session, uncommitted);
            store.insertAuditRows(session, runId, uncommittedAudit, options.transactionMode(), context);
            for (Migration m : uncommitted) {
                // Also an interrupted entry whose edited file now runs in the transaction: its marker goes too.
                if (uncommittedOutside.contains(m) || statusBefore.get(m.tag()).state() == MigrationState.INTERRUPTED) {
                    progress.finish(session, m);
                }
            }
            if (!uncommitted.isEmpty()) {
                store.notifyApplied(session, uncommitted.get(uncommitted.size() - 1).tag());
            }
            session.commit();
        } catch (SQLException e) {
            throw failure(uncommitted.isEmpty() ? null : uncommitted.get(uncommitted.size() - 1), 0,
                    "insert into " + store.table().qualifiedName(), e);
        }
        uncommitted.forEach(m -> committed.add(m.tag()));
        uncommitted.clear();
        uncommittedOutside.clear();
        uncommittedAudit.clear();
    }

    /**
     * A migration that cannot run in the batch transaction runs in autocommit: statement by statement for one
     * holding a statement PostgreSQL refuses in a transaction, chunk by chunk as written for one with its own
     * BEGIN/COMMIT. A progress marker is committed before its first statement and advanced after each, and
     * removed in the transaction that writes its tracking row, so a run that dies part-way leaves an
     * {@link MigrationState#INTERRUPTED} entry instead of a file that would silently run again.
     */
    private void runOutside(ExecutionModes.Step step) throws SQLException {
        Migration migration = step.migration();
        MigrationStatus before = statusBefore.get(migration.tag());
        boolean resuming = before != null && before.state() == MigrationState.INTERRUPTED && before.progress() != null;
        int from = resuming ? Math.min(before.progress().statementsDone(), step.statements().size()) : 0;
        session.setAutoCommit(true);
        long start = System.nanoTime();
        progress.start(session, runId, migration, step.mode(), from, step.statements().size());
        outsideStep = step;
        outsideDone = from;
        if (resuming && from < step.statements().size() && step.mode() == ExecutionMode.NO_TRANSACTION) {
            dropInvalidIndexBuiltBy(step.statements().get(from));
        }
        executeStatements(step, from);
        if (transactionState() != TransactionState.IDLE) {
            // The file opened a transaction and never closed it: finish it so its work and its row land together.
            session.setAutoCommit(false);
        }
        record(step, start, resuming ? from : null);
        uncommittedOutside.add(migration);
        outsideStep = null;
        committingOutside = step;
        commitPending();
        committingOutside = null;
        session.setAutoCommit(true);
    }

    /**
     * Before a concurrent index build is run again, drops the INVALID index its failed or killed first attempt
     * left behind: {@code IF NOT EXISTS} would skip it, and without it the build would fail on the name.
     */
    /** An INVALID index of a table, by name, qualified and quoted for DROP INDEX. */
    private static final String INVALID_INDEX_OF_TABLE = """
            select format('%I.%I', n.nspname, c.relname)
              from pg_index i
              join pg_class c on c.oid = i.indexrelid
              join pg_namespace n on n.oid = c.relnamespace
             where c.relname = ? and not i.indisvalid and i.indrelid = ?::regclass""";

    private void dropInvalidIndexBuiltBy(String statement) throws SQLException {
        java.util.Optional<StatementKinds.ConcurrentIndex> index = StatementKinds.concurrentIndex(statement);
        if (index.isEmpty()) {
            return;
        }
        String qualified = null;
        try (java.sql.PreparedStatement st = session.prepareStatement(INVALID_INDEX_OF_TABLE)) {
            st.setString(1, index.get().name());
            st.setString(2, index.get().table());
            try (java.sql.ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    qualified = rs.getString(1);
                }
            }
        } catch (SQLException e) {
            return;
        }
        if (qualified != null) {
            try (Statement st = session.createStatement()) {
                st.execute("DROP INDEX CONCURRENTLY IF EXISTS " + qualified);
            }
        }
    }

    private void executeStatements(ExecutionModes.Step step, int from) {
        List<String> statements = step.statements();
        boolean outside = step.mode() != ExecutionMode.TRANSACTION;
        listener.migrationStarted(step.migration().tag(), step.mode(), statements.size());
        for (int i = from; i < statements.size(); i++) {
            String sql = statements.get(i);
            try (Statement st = session.createStatement()) {
                st.setEscapeProcessing(false);
                st.execute(sql);
                listener.statementDone(step.migration().tag(), i + 1, statements.size());
                if (!builtIndexConcurrently && StatementKinds.topLevelStatements(List.of(sql)).stream()
                        .anyMatch(StatementKinds::buildsIndexConcurrently)) {
                    builtIndexConcurrently = true;
                }
                if (outside) {
                    outsideDone = i + 1;
                    // Inside a self-managed file's own transaction the marker moves with that transaction.
                    progress.advance(session, step.migration(), i + 1);
                }
            } catch (SQLException e) {
                throw failure(step.migration(), i + 1, sql, e);
            }
        }
    }

    private TransactionState transactionState() throws SQLException {
        return session.unwrap(BaseConnection.class).getTransactionState();
    }

    /**
     * What to report when a statement, the tracking rows or the COMMIT failed. {@code current} is the migration
     * that was running, or {@code null} when only audit rows were being written.
     */
    private RuntimeException failure(Migration current, int statementIndex, String sql, SQLException e) {
        String tag = current == null ? "(tracking rows)" : current.tag();
        boolean outside = outsideStep != null && outsideStep.migration() == current;
        List<Migration> interrupted = new ArrayList<>(uncommitted);
        if (current != null && !interrupted.contains(current) && (statementIndex > 0 || outside)) {
            interrupted.add(current);
        }
        if (ConnectionLoss.is(e)) {
            java.util.Set<String> partial = new java.util.HashSet<>();
            uncommittedOutside.forEach(m -> partial.add(m.tag()));
            if (outside) {
                partial.add(current.tag());
            }
            InterruptedOutcome outcome = probe.observe(backendPid, interrupted, partial);
            return new ConnectionLostException(tag, statementIndex, SqlScanner.firstLine(sql), e.getSQLState(), e.getMessage(),
                    committed, outcome, e);
        }
        Migration rowPending = committingOutside == null ? null : committingOutside.migration();
        List<String> rolledBack = interrupted.stream().filter(m -> !(outside && m == current) && m != rowPending)
                .map(Migration::tag).toList();
        try {
            if (!session.getAutoCommit()) {
                session.rollback();
            } else if (transactionState() != TransactionState.IDLE) {
                try (Statement st = session.createStatement()) {
                    st.execute("ROLLBACK");
                }
            }
        } catch (SQLException ignored) {
            // A broken session rolls back on the server when it closes.
        }
        // Committed steps raise drizzle's high-water mark even though the run stopped: say what they left below it.
        List<String> stranded = plan.strandedAfter(committed).stream().map(MigrationStatus::tag).toList();
        MigrationFailedException failed = ServerError.of(e).failure(tag, statementIndex, sql, committed, rolledBack, stranded, e);
        if (current != null) {
            failed.inFile(current.fileName());
        }
        if (rowPending != null) {
            // Its statements are done and stay; only its row failed: it is interrupted with all statements done.
            failed.partial(new MigrationFailedException.Partial(rowPending.tag(), committingOutside.mode().wireName(),
                    committingOutside.statements().size(), committingOutside.statements().size()));
        } else if (outside) {
            failed.partial(new MigrationFailedException.Partial(tag, outsideStep.mode().wireName(), partialDone(),
                    outsideStep.statements().size()));
        }
        if (blockers != null && failed.timedOut()) {
            failed.blockedBy(blockers.takeLastSeen());
        }
        return failed;
    }

    /** Statements of the outside migration that stay done: a self-managed file's open transaction rolls back. */
    private int partialDone() {
        try {
            return outsideStep.mode() == ExecutionMode.SELF_MANAGED ? progressDone(outsideStep.migration()) : outsideDone;
        } catch (SQLException e) {
            return outsideDone;
        }
    }

    private int progressDone(Migration migration) throws SQLException {
        for (Progress p : progress.all(session)) {
            if (p.tag().equals(migration.tag()) && p.when() == migration.when()) {
                return p.statementsDone();
            }
        }
        return 0;
    }
}
