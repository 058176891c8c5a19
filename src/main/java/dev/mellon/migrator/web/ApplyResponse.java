package dev.mellon.migrator.web;

import dev.mellon.migrator.engine.apply.AppliedMigration;
import dev.mellon.migrator.engine.apply.ApplyResult;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.UUID;

/** What one apply did. */
@Schema(name = "ApplyResult")
public record ApplyResponse(
        @Schema(description = "applied, up-to-date (nothing was pending) or dry-run",
                enumeration = {"applied", "up-to-date", "dry-run"}) String outcome,
        @Schema(description = "The id of this run in the audit table") UUID runId,
        boolean dryRun,
        @Schema(description = "What this run applied (for a dry run: would apply), in order, with the time each took")
        List<AppliedMigration> applied,
        @Schema(description = "How many migrations were already applied when this run got the lock") int alreadyAppliedCount,
        @Schema(description = "Tags that were already applied when this run got the lock") List<String> alreadyApplied,
        @Schema(description = "True when this run waited for another run's lock") boolean waitedForLock,
        @Schema(description = "Milliseconds spent waiting for the lock") long lockWaitMillis,
        @Schema(description = "Tags that were pending when this run asked for the lock and that another run applied meanwhile")
        List<String> appliedByConcurrentRun,
        @Schema(enumeration = {"all", "each"}) String transaction,
        @Schema(description = "Milliseconds for the whole request") long totalMillis,
        List<String> warnings,
        @Schema(description = "Dry run only: the transactions the apply would run (batch, own, no-transaction, "
                + "self-managed), each migration's statements as sent, with hazards judged from the SQL and the current "
                + "estimated rows and total size of every existing table each statement touches")
        List<PlanViews.GroupView> plan) {

    public static ApplyResponse of(ApplyResult result, long totalMillis) {
        String outcome = result.dryRun() ? "dry-run" : result.applied().isEmpty() ? "up-to-date" : "applied";
        return new ApplyResponse(outcome, result.runId(), result.dryRun(), result.applied(),
                result.alreadyApplied().size(), result.alreadyApplied(), result.waitedForLock(),
                result.lockWaitMillis(), result.appliedByConcurrentRun(), result.transactionMode().wireName(), totalMillis,
                result.warnings(), PlanViews.plan(result.plan()));
    }
}
