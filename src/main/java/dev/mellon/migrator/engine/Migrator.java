package dev.mellon.migrator.engine;

import dev.mellon.migrator.folder.FolderCache;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.folder.SqlScanner;
import dev.mellon.migrator.folder.StatementKinds;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

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

    private static final Duration MAX_BACKOFF = Duration.ofMillis(500);
    /** How many callers of one instance may wait for the lock when the constructor is not told. */
    public static final int DEFAULT_MAX_WAITERS = 16;

    private final FolderCache folder;
    private final DataSource readPool;
    private final ConnectionSource sessions;
    private final TrackingStore store;
    private final MigrationLock lock;
    private final LocalQueue queue;
    private final OutcomeProbe probe;
    private final ProgressStore progress;
    private final RunStore runs;
    private final TrackingReads reads;
    private final ApplyOptions.Timeouts lockedWorkTimeouts;
    private volatile LastReport lastReport;
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
        this.sessions = Objects.requireNonNull(sessions);
        this.store = new TrackingStore(trackingTable);
        this.lock = new MigrationLock(trackingTable);
        this.queue = new LocalQueue(maxWaiters);
        this.probe = new OutcomeProbe(sessions, store);
        this.progress = new ProgressStore(trackingTable);
        this.runs = new RunStore(trackingTable);
        this.reads = new TrackingReads(store, progress);
        this.lockedWorkTimeouts = Objects.requireNonNull(lockedWorkTimeouts);
    }

    public TrackingTable trackingTable() {
        return store.table();
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

    /** How many callers of this instance queue for their turn at the lock right now (they hold no session). */
    public int localWaiters() {
        return queue.waiting();
    }

    /** Who applied each entry this service applied, and how long it took; empty before our audit table exists. */
    public Map<String, AuditDetail> auditDetails() {
        try (Connection connection = readPool.getConnection()) {
            return store.presence(connection).audit() ? store.auditDetails(connection) : Map.of();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** The key of an entry in {@link #auditDetails()}. */
    public static String auditKey(Migration migration) {
        return StatusCalculator.auditKey(migration.when(), migration.hash());
    }

    /** The status on a session the caller holds (under the lock, for the use cases beside apply). */
    StatusReport statusOn(Connection connection, MigrationFolder folder) throws SQLException {
        return status(connection, folder);
    }

    TrackingStore store() {
        return store;
    }

    /** The recorded apply runs, newest first (an empty page before the first run). */
    public RunStore.Page runs(String outcome, int limit, Long before) {
        return runs.list(readPool, outcome, limit, before);
    }

    ProgressStore progressStore() {
        return progress;
    }

    public LockStatus lockStatus() {
        try (Connection connection = readPool.getConnection()) {
            return lock.inspect(connection);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private StatusReport status(Connection connection, MigrationFolder folder) throws SQLException {
        return report(folder, reads.readFresh(connection));
    }

    private static StatusReport report(MigrationFolder folder, TrackingReads.State state) {
        StatusReport report = StatusCalculator.calculate(folder, state.rows(), state.appliedAt());
        return StatusCalculator.withProgress(report, state.progress());
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
            runs.record(readPool, failedRun(runId, startedAt, options, context, planned.get(), e));
            throw e;
        }
        runs.record(readPool, new RunStore.Run(0, runId, startedAt, java.time.OffsetDateTime.now(),
                result.applied().isEmpty() ? "up-to-date" : "applied", context.appliedBy(), context.clientAddress(),
                context.requestSource(), context.gitCommit(), options.transactionMode().wireName(), planned.get(),
                appliedTags(result.applied()), null));
        return result;
    }

    private static List<String> appliedTags(List<AppliedMigration> applied) {
        return applied.stream().map(AppliedMigration::tag).toList();
    }

    /** The run row of an apply that ended with {@code e}: its outcome, what committed, and where it stopped. */
    private static RunStore.Run failedRun(UUID runId, java.time.OffsetDateTime startedAt, ApplyOptions options, RunContext context,
                                          List<String> planned, RuntimeException e) {
        String outcome;
        List<String> applied = List.of();
        RunStore.Failure failure;
        if (e instanceof MigrationFailedException f) {
            outcome = "failed";
            applied = f.committed();
            failure = new RunStore.Failure(f.timedOut() ? "migration-timed-out" : f.notAllowedInTransaction()
                    ? "statement-not-allowed-in-transaction" : "migration-failed", f.tag(), f.statementFirstLine(), f.sqlState(),
                    f.getMessage());
        } else if (e instanceof ConnectionLostException c) {
            outcome = "connection-lost";
            applied = c.committed();
            // Not the driver's own words, which can name hosts and users: the history is open to viewers.
            failure = new RunStore.Failure(c.observed() ? "connection-lost" : "outcome-unknown", c.tag(), c.statementFirstLine(),
                    c.sqlState(), "The connection was lost during \"" + c.tag() + "\"; " + (c.observed()
                    ? "committed " + c.committed() + ", rolled back " + c.rolledBack()
                    : "the outcome could not be read back"));
        } else if (e instanceof ApplyRefusedException r) {
            outcome = "refused";
            failure = new RunStore.Failure("migration-" + r.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                    r.offending().isEmpty() ? null : r.offending().get(0).tag(), null, null, r.getMessage());
        } else if (e instanceof LockNotAcquiredException l) {
            outcome = "lock-timeout";
            failure = new RunStore.Failure("lock-timeout", null, null, null, l.getMessage());
        } else if (e instanceof TooManyWaitersException) {
            outcome = "lock-timeout";
            failure = new RunStore.Failure("too-many-waiters", null, null, null, e.getMessage());
        } else {
            outcome = "error";
            // The message of an unexpected or database error may quote the driver; the server log keeps it.
            String kind = e.getClass().getSimpleName().replaceAll("Exception$", "")
                    .replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
            String sqlState = e instanceof DatabaseUnavailableException d ? d.sqlState() : null;
            failure = new RunStore.Failure(kind, null, null, sqlState, "The run stopped with " + kind
                    + (sqlState == null ? "" : " (SQLSTATE " + sqlState + ")") + "; the server log has the details");
        }
        return new RunStore.Run(0, runId, startedAt, java.time.OffsetDateTime.now(), outcome, context.appliedBy(),
                context.clientAddress(), context.requestSource(), context.gitCommit(), options.transactionMode().wireName(),
                planned, applied, failure);
    }

    private ApplyResult applyLocked(ApplyOptions options, RunContext context, MigrationFolder folder, UUID runId,
                                    AtomicReference<List<String>> planned, ApplyListener listener) {
        return locked(options.lockWait(), folder, listener, (session, wait, waitedMillis) -> {
            store.ensureTables(session);
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
                Execution execution = new Execution(session, runId, options, context, report, plan, listener);
                List<AppliedMigration> applied;
                try {
                    applied = execution.run();
                } catch (MigrationFailedException e) {
                    if (!retriable(e, attempt, options.timeouts().lockRetries())) {
                        throw e;
                    }
                    notes.add("Attempt " + (attempt + 1) + " timed out waiting for a lock at \"" + e.tag() + "\" statement "
                            + e.statementIndex() + "; retried");
                    sleep(retryPause(attempt));
                    continue;
                }
                List<String> warnings = warnings(plan, execution.steps);
                warnings.addAll(notes);
                if (execution.builtIndexConcurrently) {
                    warnings.addAll(invalidIndexWarnings(session, folder));
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
                    List.of(), 0, options.transactionMode(), warnings(plan, steps),
                    PlanDetails.of(steps, options.transactionMode(), resumeFrom, connection));
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * A lock timeout is worth another attempt when retries are left and nothing stayed part-done outside a
     * transaction (that needs a person's resume); the rolled-back work runs again from a fresh reading of the history.
     */
    private static boolean retriable(MigrationFailedException e, int attempt, int lockRetries) {
        return "55P03".equals(e.sqlState()) && e.partial() == null && attempt < lockRetries;
    }

    /** Exponential from 250 ms, capped at 5 s, with up to half again of jitter so retrying runs do not align. */
    private static long retryPause(int attempt) {
        long base = Math.min(5_000, 250L << Math.min(attempt, 5));
        return base + ThreadLocalRandom.current().nextLong(base / 2 + 1);
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
        return locked(wait, null, ApplyListener.NONE, (session, lockWait, waitedMillis) -> {
            SessionTimeouts.set(session, lockedWorkTimeouts);
            return work.run(session);
        }, result -> false);
    }

    private interface LockedRun<T> {
        T run(Connection session, LockWait wait, long waitedMillis) throws SQLException;
    }

    /**
     * Queues behind this instance's other callers, then opens a dedicated session, takes the lock (the whole wait
     * bounded by {@code wait}), runs {@code work}, and releases the lock whatever happens; closing the session would
     * release it too. {@code folder}, when given, lets a waiter say which migrations another run applied meanwhile.
     * {@code keepSession} says whether a cleanly finished session may be kept for the next run: only one that ran no
     * migration SQL is, since a kept session would not see what that SQL changed for new sessions
     * ({@code ALTER DATABASE ... SET}, {@code ALTER ROLE ... SET}) and could keep what it loaded.
     */
    private <T> T locked(Duration wait, MigrationFolder folder, ApplyListener listener, LockedRun<T> work,
                         Predicate<T> keepSession) {
        long started = System.nanoTime();
        // Noted before waiting in the queue, so that a caller who waited here can say what others did meanwhile.
        AtomicReference<Set<String>> pendingBeforeQueue = new AtomicReference<>(Set.of());
        Optional<LocalQueue.Turn> entered = queue.enter(wait, () -> {
            listener.lockWaiting();
            pendingBeforeQueue.set(pendingTags(folder));
        });
        if (entered.isEmpty()) {
            throw new LockNotAcquiredException(millisSince(started), lockStatus());
        }
        try (LocalQueue.Turn turn = entered.get()) {
            LockWait queued = new LockWait(turn.waited(), pendingBeforeQueue.get());
            return lockedSession(started, wait, folder, queued, listener, work, keepSession);
        }
    }

    private <T> T lockedSession(long started, Duration wait, MigrationFolder folder, LockWait queued, ApplyListener listener,
                                LockedRun<T> work, Predicate<T> keepSession) {
        Connection session;
        try {
            session = sessions.open();
        } catch (SQLException e) {
            throw unavailable(e);
        }
        boolean reusable = false;
        try {
            prepareSession(session);
            LockWait lockWait = acquire(session, folder, started + wait.toNanos(), started, queued, listener);
            long waitedMillis = millisSince(started);
            listener.lockAcquired(waitedMillis);
            T result;
            boolean released = false;
            try {
                MigrationLock.setApplicationName(session, lock.holdingApplicationName());
                result = work.run(session, lockWait, waitedMillis);
            } finally {
                released = releaseQuietly(session);
            }
            reusable = released && keepSession.test(result);
            return result;
        } catch (SQLException e) {
            reusable = false;
            throw unavailable(e);
        } catch (RuntimeException | Error e) {
            // A run that failed may leave the session in any state: it is closed, never kept.
            reusable = false;
            throw e;
        } finally {
            finish(session, reusable);
        }
    }

    /** Hands a cleanly finished session back to its source (which may keep it); closes any other. */
    private void finish(Connection session, boolean reusable) {
        try {
            if (reusable) {
                sessions.finished(session);
            } else {
                session.close();
            }
        } catch (SQLException e) {
            // closing a broken session: nothing more to free
        }
    }

    private static void prepareSession(Connection session) throws SQLException {
        session.setAutoCommit(true);
        refusePooledSession(session);
        try (Statement st = session.createStatement()) {
            // Lets the server notice a vanished client (a killed service) within seconds even while a statement
            // runs, so its transaction rolls back and the lock is freed without waiting for TCP timeouts.
            st.execute("set client_connection_check_interval = '2s'");
        } catch (SQLException e) {
            // PostgreSQL before 14 has no such setting; the lock is still freed when the statement ends.
        }
    }

    /**
     * A session-level advisory lock and session {@code SET}s mean nothing behind a transaction pooler (PgBouncer in
     * transaction mode hands each statement to whichever server connection is free), so the apply session must be a
     * direct one. Two statements on it must reach the same backend; otherwise nothing is touched.
     */
    private static void refusePooledSession(Connection session) throws SQLException {
        int first = backendPid(session);
        int second = backendPid(session);
        if (first != second) {
            throw new PooledSessionException(first, second);
        }
    }

    private static int backendPid(Connection session) throws SQLException {
        try (Statement st = session.createStatement(); java.sql.ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Whether this run had to wait, and which tags were pending when it started waiting. */
    private record LockWait(boolean waited, Set<String> pendingBefore) {
    }

    /** The tags pending right now, read on the pool: a caller about to queue holds no session yet. */
    private Set<String> pendingTags(MigrationFolder folder) {
        return folder == null ? Set.of() : new HashSet<>(tags(status(folder).inState(MigrationState.PENDING)));
    }

    /**
     * Takes the lock, polling with jittered exponential backoff until {@code deadline}. Returns the tags that were
     * pending when this caller first had to wait (in the local queue or here), so the reply can say what another
     * run did meanwhile.
     */
    private LockWait acquire(Connection session, MigrationFolder folder, long deadline, long started, LockWait queued,
                             ApplyListener listener) throws SQLException {
        if (lock.tryAcquire(session)) {
            return queued;
        }
        if (!queued.waited()) {
            listener.lockWaiting();
        }
        Set<String> pendingBefore = queued.waited() ? queued.pendingBefore() : folder == null ? Set.of()
                : new HashSet<>(tags(status(session, folder).inState(MigrationState.PENDING)));
        MigrationLock.setApplicationName(session, lock.waitingApplicationName());
        long backoff = 20;
        while (true) {
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                LockStatus status = lock.inspect(session);
                throw new LockNotAcquiredException(millisSince(started), status);
            }
            sleep(Math.min(remainingMillis, backoff + ThreadLocalRandom.current().nextLong(backoff / 2 + 1)));
            if (lock.tryAcquire(session)) {
                return new LockWait(true, pendingBefore);
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
        }
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the migration lock", e);
        }
    }

    /** Ends any open transaction and releases the lock; {@code true} when both worked and the session may be reused. */
    private boolean releaseQuietly(Connection session) {
        try {
            if (!session.getAutoCommit()) {
                session.rollback();
                session.setAutoCommit(true);
            }
            return lock.release(session);
        } catch (SQLException e) {
            // The session is closed right after; closing it frees the lock anyway.
            return false;
        }
    }

    private static List<String> warnings(ApplyPlan plan, List<ExecutionModes.Step> steps) {
        List<String> warnings = new ArrayList<>(plan.warnings());
        steps.stream().filter(step -> step.mode() != ExecutionMode.TRANSACTION)
                .map(step -> "\"" + step.migration().tag() + "\" runs outside the batch transaction (" + step.mode().wireName()
                        + ": " + step.reason() + "): work before it is committed first, its statements one at a time")
                .forEach(warnings::add);
        return warnings;
    }

    /**
     * After a run that built an index concurrently: every INVALID index of the database, with the migration that
     * builds it. The run has committed, so a failing query costs a warning, never the reply.
     */
    private static List<String> invalidIndexWarnings(Connection session, MigrationFolder folder) {
        try {
            return InvalidIndexes.warnings(InvalidIndexes.find(session, folder.migrations()));
        } catch (SQLException e) {
            return List.of("Could not look for INVALID indexes after the concurrent index builds: " + e.getMessage());
        }
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

    static String firstLine(String statement) {
        return SqlScanner.firstLine(statement);
    }

    private static RuntimeException unavailable(SQLException e) {
        return DatabaseErrors.translate("The database refused the operation", e);
    }

    /** One run's execution of its plan on the locked session. */
    private final class Execution {
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

        Execution(Connection session, UUID runId, ApplyOptions options, RunContext context, StatusReport report,
                  ApplyPlan plan, ApplyListener listener) throws SQLException {
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
        private void dropInvalidIndexBuiltBy(String statement) throws SQLException {
            java.util.Optional<StatementKinds.ConcurrentIndex> index = StatementKinds.concurrentIndex(statement);
            if (index.isEmpty()) {
                return;
            }
            String qualified = null;
            try (java.sql.PreparedStatement st = session.prepareStatement("select format('%I.%I', n.nspname, c.relname)"
                    + " from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace"
                    + " where c.relname = ? and not i.indisvalid and i.indrelid = ?::regclass")) {
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
                return new ConnectionLostException(tag, statementIndex, firstLine(sql), e.getSQLState(), e.getMessage(),
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
}
