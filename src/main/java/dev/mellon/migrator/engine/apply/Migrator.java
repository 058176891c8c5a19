package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.DatabaseErrors;
import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.core.UnknownMigrationException;
import dev.mellon.migrator.engine.history.AuditDetail;
import dev.mellon.migrator.engine.history.HistoryReader;
import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.RunStore;
import dev.mellon.migrator.engine.history.StatusCalculator;
import dev.mellon.migrator.engine.history.StatusReport;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.lock.ConnectionSource;
import dev.mellon.migrator.engine.lock.LockService;
import dev.mellon.migrator.engine.lock.LockStatus;
import dev.mellon.migrator.folder.FolderCache;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Status and apply for one migration folder and one tracking table: the engine's front door.
 *
 * <p>Apply follows drizzle-orm's migrator where it must agree with it: tracking DDL in autocommit before the
 * work, every chunk sent verbatim, one {@code (hash, created_at = when)} row per migration, one transaction for the
 * batch by default. It is stricter where drizzle is silently wrong: it serialises runs with an advisory lock, matches
 * rows by {@code when} and hash instead of a high-water mark, and refuses edited, out-of-order or moved entries and
 * runs that would strand an entry below the mark unless told (see {@link ApplyPlanner}); rows it cannot assign to
 * entries uniquely it always refuses.
 */
public final class Migrator {

    /** How many callers of one instance may wait for the lock when the constructor is not told. */
    public static final int DEFAULT_MAX_WAITERS = 16;

    private final FolderCache folder;
    private final DataSource readPool;
    private final HistoryReader history;
    private final LockService locks;
    private final OutcomeProbe probe;
    private final ApplyOptions.Timeouts lockedWorkTimeouts;
    /** What migrator.apply.lock-timeout and statement-timeout default to. */
    static final ApplyOptions.Timeouts LOCKED_WORK_TIMEOUTS = new ApplyOptions.Timeouts(Duration.ofSeconds(5), Duration.ZERO);

    public Migrator(Path folderPath, FolderReader reader, DataSource readPool, ConnectionSource sessions,
                    TrackingTable trackingTable) {
        this(folderPath, reader, readPool, sessions, trackingTable, DEFAULT_MAX_WAITERS);
    }

    /**
     * @param readPool   for short reads (status, lock inspection); pooled connections are fine
     * @param sessions   opens the dedicated session each apply holds its lock on
     * @param maxWaiters how many callers may queue for the lock in this instance before more are refused
     */
    public Migrator(Path folderPath, FolderReader reader, DataSource readPool, ConnectionSource sessions,
                    TrackingTable trackingTable, int maxWaiters) {
        this(FolderCache.verifying(reader, folderPath), readPool, sessions, trackingTable, maxWaiters);
    }

    /** @param folder the parsed folder, kept between calls (the service's watches the folder; see {@link FolderCache}) */
    public Migrator(FolderCache folder, DataSource readPool, ConnectionSource sessions, TrackingTable trackingTable,
                    int maxWaiters) {
        this(folder, readPool, sessions, trackingTable, maxWaiters, LOCKED_WORK_TIMEOUTS);
    }

    /**
     * @param lockedWorkTimeouts the lock and statement timeouts of everything else that runs DDL under the lock (push,
     *                           rollback, baseline): the same policy as an apply that names none of its own
     */
    public Migrator(FolderCache folder, DataSource readPool, ConnectionSource sessions, TrackingTable trackingTable,
                    int maxWaiters, ApplyOptions.Timeouts lockedWorkTimeouts) {
        this.folder = Objects.requireNonNull(folder);
        this.readPool = Objects.requireNonNull(readPool);
        this.history = new HistoryReader(readPool, trackingTable);
        this.locks = new LockService(readPool, sessions, trackingTable, maxWaiters);
        this.probe = new OutcomeProbe(sessions, history.store());
        this.lockedWorkTimeouts = Objects.requireNonNull(lockedWorkTimeouts);
    }

    public TrackingTable trackingTable() {
        return history.table();
    }

    /** The tracking table's history: its stores and the status on a session, for the use cases beside apply. */
    public HistoryReader history() {
        return history;
    }


    public Path folderPath() {
        return folder.path();
    }

    /**
     * The folder exactly as it is on disk now (the files are the source of truth and may change between calls): the
     * cached copy only when every file still stats the same. For apply and everything that writes.
     */
    public MigrationFolder folder() {
        return folder.verified();
    }

    /**
     * The folder for a read-only answer: the cached copy while the watcher saw no change (see {@link FolderCache}
     * for the one edit it learns of a moment late).
     */
    public MigrationFolder currentFolder() {
        return folder.current();
    }

    public StatusReport status() {
        return status(currentFolder());
    }

    /** The status of a folder the caller has already read, for a read-only answer (see {@link HistoryReader}). */
    public StatusReport status(MigrationFolder folder) {
        return history.status(folder);
    }

    /** How many callers of this instance queue for their turn at the lock right now (they hold no session). */
    public int localWaiters() {
        return locks.waiting();
    }

    /** Who applied each entry this service applied, and how long it took; empty before our audit table exists. */
    public Map<String, AuditDetail> auditDetails() {
        return history.auditDetails();
    }

    /** The key of an entry in {@link #auditDetails()}. */
    public static String auditKey(Migration migration) {
        return StatusCalculator.auditKey(migration);
    }

    /** The recorded apply runs, newest first (an empty page before the first run). */
    public RunStore.Page runs(String outcome, int limit, Long before) {
        return history.runs(outcome, limit, before);
    }

    public LockStatus lockStatus() {
        return locks.status();
    }

    private StatusReport status(Connection connection, MigrationFolder folder) throws SQLException {
        return history.statusOn(connection, folder);
    }

    public ApplyResult apply(ApplyOptions options, RunContext context) {
        return apply(options, context, ApplyListener.NONE);
    }

    /** The same, telling {@code listener} about the lock and every migration and statement as they happen. */
    public ApplyResult apply(ApplyOptions options, RunContext context, ApplyListener listener) {
        MigrationFolder folder = folder();
        if (options.target() != null && folder.find(options.target()).isEmpty()) {
            throw new UnknownMigrationException(options.target(), "to");
        }
        if (options.dryRun()) {
            return dryRun(folder, options);
        }
        UUID runId = UUID.randomUUID();
        java.time.OffsetDateTime startedAt = java.time.OffsetDateTime.now();
        AtomicReference<List<String>> planned = new AtomicReference<>(List.of());
        ApplyResult result;
        try {
            result = applyLocked(options, context, folder, runId, planned, listener);
        } catch (RuntimeException e) {
            history.record(RunOutcomes.failed(runId, startedAt, options, context, planned.get(), e));
            throw e;
        }
        history.record(new RunStore.Run(0, runId, startedAt, java.time.OffsetDateTime.now(),
                result.applied().isEmpty() ? "up-to-date" : "applied", context.appliedBy(), context.clientAddress(),
                context.requestSource(), context.gitCommit(), options.transactionMode().wireName(), planned.get(),
                appliedTags(result.applied()), null));
        return result;
    }

    private static List<String> appliedTags(List<AppliedMigration> applied) {
        return applied.stream().map(AppliedMigration::tag).toList();
    }

    private ApplyResult applyLocked(ApplyOptions options, RunContext context, MigrationFolder folder, UUID runId,
                                    AtomicReference<List<String>> planned, ApplyListener listener) {
        return locks.locked(options.lockWait(), pending(folder), listener, (session, wait, waitedMillis) -> {
            history.store().ensureTables(session, folder);
            List<String> notes = new ArrayList<>();
            if (options.rebuildInvalid()) {
                // Before the plan, outside any transaction: concurrent builds cannot run in one.
                notes.addAll(InvalidIndexRebuilder.rebuild(session, folder.migrations()));
            }
            for (int attempt = 0; ; attempt++) {
                StatusReport report = status(session, folder);
                ApplyPlan plan = ApplyPlanner.plan(report, options);
                planned.set(plan.migrations().stream().map(Migration::tag).toList());
                List<String> alreadyApplied = tags(report.inState(MigrationState.APPLIED));
                List<String> doneByOthers = alreadyApplied.stream().filter(wait.pendingBefore()::contains).toList();
                PlanExecution execution = new PlanExecution(readPool, history.store(), history.progress(), probe, session,
                        runId, options, context, report, plan, listener);
                List<AppliedMigration> applied;
                try {
                    applied = execution.run();
                } catch (MigrationFailedException e) {
                    if (!LockRetries.retriable(e, attempt, options.timeouts().lockRetries())) {
                        throw e;
                    }
                    notes.add("Attempt " + (attempt + 1) + " timed out waiting for a lock at \"" + e.tag() + "\" statement "
                            + e.statementIndex() + "; retried");
                    LockService.sleep(LockRetries.pause(attempt));
                    continue;
                }
                List<String> warnings = ApplyWarnings.of(plan, execution.steps());
                warnings.addAll(notes);
                if (execution.builtIndexConcurrently()) {
                    warnings.addAll(ApplyWarnings.invalidIndexes(session, folder));
                }
                return new ApplyResult(runId, false, applied, alreadyApplied, wait.waited(), doneByOthers, waitedMillis,
                        options.transactionMode(), warnings);
            }
        }, result -> result.applied().isEmpty() && !options.rebuildInvalid());
    }

    /**
     * The plan without running it: what would run, in which transactions, every statement with its hazards and the
     * current sizes of the tables it touches. Read on the pool; nothing is locked or written.
     */
    private ApplyResult dryRun(MigrationFolder folder, ApplyOptions options) {
        try (Connection connection = readPool.getConnection()) {
            StatusReport report = status(connection, folder);
            ApplyPlan plan = ApplyPlanner.plan(report, options);
            List<ExecutionModes.Step> steps = ExecutionModes.of(plan.migrations());
            Map<String, Integer> resumeFrom = new HashMap<>();
            for (ExecutionModes.Step step : steps) {
                Integer from = resumeFrom(report, step.migration());
                if (from != null) {
                    resumeFrom.put(step.migration().tag(), from);
                }
            }
            List<AppliedMigration> wouldApply = steps.stream().map(step -> new AppliedMigration(step.migration().tag(),
                    step.migration().when(), step.migration().statements().size(), 0, step.mode().wireName(),
                    resumeFrom.get(step.migration().tag()))).toList();
            return new ApplyResult(UUID.randomUUID(), true, wouldApply, tags(report.inState(MigrationState.APPLIED)), false,
                    List.of(), 0, options.transactionMode(), ApplyWarnings.of(plan, steps),
                    PlanDetails.of(steps, options.transactionMode(), resumeFrom, connection));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Work done on the apply session while it holds the migration lock. */
    @FunctionalInterface
    public interface LockedWork<T> {
        T run(Connection session) throws SQLException;
    }

    /**
     * Runs {@code work} on a dedicated session under the same advisory lock as apply (push uses it), so that a push
     * and an apply never interleave.
     */
    public <T> T withLock(Duration wait, LockedWork<T> work) {
        return locks.locked(wait, LockService.Pending.NONE, ApplyListener.NONE, (session, lockWait, waitedMillis) -> {
            SessionTimeouts.set(session, lockedWorkTimeouts);
            return work.run(session);
        }, result -> false);
    }

    /** The tags pending, read on the pool or on a session, as a waiter notes them; none when no folder is given. */
    private LockService.Pending pending(MigrationFolder folder) {
        return folder == null ? LockService.Pending.NONE : new LockService.Pending() {
            @Override
            public Set<String> onPool() {
                return new HashSet<>(tags(status(folder).inState(MigrationState.PENDING)));
            }

            @Override
            public Set<String> on(Connection session) throws SQLException {
                return new HashSet<>(tags(status(session, folder).inState(MigrationState.PENDING)));
            }
        };
    }

    /** For a dry run: the statement an interrupted entry would resume after, or {@code null}. */
    private static Integer resumeFrom(StatusReport report, Migration migration) {
        return report.migrations().stream()
                .filter(s -> s.migration() == migration && s.state() == MigrationState.INTERRUPTED && s.progress() != null)
                .map(s -> s.progress().statementsDone()).findFirst().orElse(null);
    }

    private static List<String> tags(List<MigrationStatus> statuses) {
        return statuses.stream().map(MigrationStatus::tag).toList();
    }

    private static RuntimeException unavailable(SQLException e) {
        return DatabaseErrors.translate("The database refused the operation", e);
    }
}
