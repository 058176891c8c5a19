package dev.mellon.migrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** What {@code POST /migrations/generate} produced: the new journal entries with their files. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "GenerateResponse")
public record GenerateResponse(
        @Schema(description = "The tag of the (first) new migration; absent when nothing changed") String tag,
        @Schema(description = "snapshot (two snapshots compared as drizzle-kit does), canonical (through PostgreSQL) or textual")
        String comparison,
        List<PlanViews.ChangeView> changes,
        @Schema(description = "Every statement, in file order") List<String> statements,
        List<PlanViews.HazardView> hazards,
        @Schema(description = "Drop+create pairs that may be renames; pass a rename hint to make them one")
        List<PlanViews.RenameView> renameCandidates,
        @Schema(description = "The new journal entries (an online plan with concurrent indexes makes two)")
        List<Migration> migrations,
        @Schema(description = "Whether the files are in the folder now (false for dryRun or a read-only folder)")
        boolean written,
        List<String> warnings) {

    @Schema(name = "GeneratedMigration")
    public record Migration(int idx, String tag, long when, String id, String prevId, List<String> statements,
                            List<File> files) {
    }

    @Schema(name = "GeneratedFile")
    public record File(@Schema(description = "Path inside the folder, e.g. meta/0003_snapshot.json") String path,
                       @Schema(description = "The file's exact content") String content) {
    }
}
