package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.TransactionMode;

import java.util.List;
import java.util.UUID;

/**
 * The outcome of one apply.
 *
 * @param runId                 the id recorded with this run's audit rows
 * @param dryRun                true when nothing was executed
 * @param applied               what this run applied (or, for a dry run, would apply), in order
 * @param alreadyApplied        the tags that were applied when this run got the lock
 * @param waitedForLock         true when another run held the lock at this run's first attempt
 * @param appliedByConcurrentRun the tags that were pending when this run asked for the lock and that another run
 *                              applied while this one waited
 * @param lockWaitMillis        how long this run waited for the lock
 * @param transactionMode       the mode used
 * @param warnings              things a person should read (a migration that ran in its own transaction, ...)
 * @param plan                  for a dry run, the transactions it would run with every statement's hazards and table
 *                              sizes; {@code null} for a real run
 */
public record ApplyResult(UUID runId, boolean dryRun, List<AppliedMigration> applied, List<String> alreadyApplied,
                          boolean waitedForLock, List<String> appliedByConcurrentRun, long lockWaitMillis, TransactionMode transactionMode,
                          List<String> warnings, List<PlanGroup> plan) {

    public ApplyResult {
        applied = List.copyOf(applied);
        alreadyApplied = List.copyOf(alreadyApplied);
        appliedByConcurrentRun = List.copyOf(appliedByConcurrentRun);
        warnings = List.copyOf(warnings);
        plan = plan == null ? null : List.copyOf(plan);
    }

    public ApplyResult(UUID runId, boolean dryRun, List<AppliedMigration> applied, List<String> alreadyApplied,
                       boolean waitedForLock, List<String> appliedByConcurrentRun, long lockWaitMillis,
                       TransactionMode transactionMode, List<String> warnings) {
        this(runId, dryRun, applied, alreadyApplied, waitedForLock, appliedByConcurrentRun, lockWaitMillis, transactionMode,
                warnings, null);
    }
}
