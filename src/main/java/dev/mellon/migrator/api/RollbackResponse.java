package dev.mellon.migrator.api;

import dev.mellon.migrator.web.PlanViews;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mellon.migrator.engine.rollback.Rollbacker;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.UUID;

/** What a rollback ran (or, for a dry run, would run). */
@Schema(name = "RollbackResponse")
public record RollbackResponse(
        @Schema(description = "rolled-back, nothing-to-roll-back or dry-run") String outcome,
        @Schema(description = "The audit run id") UUID runId,
        boolean dryRun,
        @Schema(description = "The last entry kept (\"\": none)") String to,
        @Schema(description = "Newest first, as run") List<Entry> rolledBack,
        long totalMillis,
        List<String> warnings) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "RolledBackEntry")
    public record Entry(String tag, long when, String source, List<String> statements, List<PlanViews.HazardView> hazards,
                        long millis) {
    }

    static RollbackResponse of(Rollbacker.Result result) {
        List<Entry> entries = result.rolledBack().stream().map(r -> new Entry(r.down().tag(), r.down().when(),
                r.down().source().wireName(), r.down().statements(), PlanViews.hazards(r.down().hazards()), r.millis())).toList();
        String outcome = result.dryRun() ? "dry-run" : entries.isEmpty() ? "nothing-to-roll-back" : "rolled-back";
        return new RollbackResponse(outcome, result.runId(), result.dryRun(), result.to(), entries, result.totalMillis(),
                result.warnings());
    }
}
