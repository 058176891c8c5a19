package dev.mellon.migrator.web;

import dev.mellon.migrator.engine.generate.Pusher;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** What {@code POST /schema/push} did (or, for a dry run, would do). */
@Schema(name = "PushResponse")
public record PushResponse(
        @Schema(description = "True when the statements were executed and committed") boolean executed,
        @Schema(description = "canonical (both sides printed by PostgreSQL) or textual") String comparison,
        List<PlanViews.ChangeView> changes,
        List<String> statements,
        List<PlanViews.HazardView> hazards,
        List<PlanViews.RenameView> renameCandidates,
        long millis,
        List<String> warnings) {

    public static PushResponse of(Pusher.Result result) {
        return new PushResponse(result.executed(), result.plan().comparison(), PlanViews.changes(result.plan().changes()),
                result.plan().sql(), PlanViews.hazards(result.plan().hazards()), PlanViews.renames(result.plan().renameCandidates()),
                result.millis(), result.plan().warnings());
    }
}
