package dev.mellon.migrator.api;

import dev.mellon.migrator.web.PlanViews;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mellon.migrator.engine.rollback.Rollbacker;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;

/** One entry's down migration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "DownResponse")
public record DownResponse(
        String tag,
        long when,
        @Schema(description = "file (a hand-written <tag>.down.sql) or computed (the reverse diff of its snapshots)") String source,
        @Schema(description = "For a computed down: how the snapshots were compared (snapshot)") String comparison,
        @Schema(description = "The statements as they are sent to PostgreSQL, in order") List<MigrationDetail.Statement> statements,
        List<PlanViews.HazardView> hazards,
        List<String> warnings) {

    static DownResponse of(Rollbacker.Down down) {
        List<MigrationDetail.Statement> statements = new ArrayList<>();
        for (int i = 0; i < down.statements().size(); i++) {
            statements.add(new MigrationDetail.Statement(i + 1, down.statements().get(i)));
        }
        return new DownResponse(down.tag(), down.when(), down.source().wireName(), down.comparison(), statements,
                PlanViews.hazards(down.hazards()), down.warnings());
    }
}
