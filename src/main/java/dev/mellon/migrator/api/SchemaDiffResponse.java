package dev.mellon.migrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mellon.migrator.diff.Difference;
import dev.mellon.migrator.introspect.UnmanagedObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** How one schema differs from another: by default, the live database from what the migration history expects. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "SchemaDiff")
public record SchemaDiffResponse(
        @Schema(description = "The baseline: migrations, database or migrations@<tag>") String from,
        @Schema(description = "What is compared with it") String to,
        @Schema(description = "The snapshot used for the migrations side, e.g. meta/0007_snapshot.json") String snapshot,
        @Schema(description = "True when there is no difference") boolean inSync,
        @Schema(description = "canonical: both sides printed by PostgreSQL (a snapshot is rebuilt in a sandbox); "
                + "snapshot: two snapshots compared as drizzle-kit does; textual: the fallback without a sandbox")
        String comparison,
        @Schema(description = "missing = in 'from' but not in 'to'; unexpected = in 'to' only; changed = in both, differing")
        List<Difference> differences,
        @Schema(description = "The statements that make 'to' match 'from' (by default: the database match the history)")
        List<String> sql,
        @Schema(description = "The hazards of those statements") List<PlanViews.HazardView> hazards,
        @Schema(description = "Objects a snapshot cannot express (functions, triggers, extensions): listed, never drift")
        List<UnmanagedObject> unmanaged,
        @Schema(description = "Journal entries not yet applied") List<String> pending,
        @Schema(description = "When entries are pending: the database against the snapshot of the last applied entry")
        Against againstLastApplied,
        List<String> warnings) {

    public record Against(String tag, String snapshot, boolean inSync, List<Difference> differences) {
    }
}
