package dev.mellon.migrator.web;

import dev.mellon.migrator.engine.generate.Generator;
import dev.mellon.migrator.folder.FolderReader;
import java.util.ArrayList;
import java.util.regex.Pattern;

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
        List<String> warnings,
        @Schema(description = "True when the new SQL was proven: applied to a replay of the folder's history in a sandbox, "
                + "as apply runs it, and compared with the desired schema. A migration that fails there is never returned")
        boolean verified,
        @Schema(description = "The proof: its outcome and duration, or why there is none") VerificationView verification) {

    /** The reply for a generate's result: the files of every new entry, and every statement in file order. */
    public static GenerateResponse of(Generator.Result result) {
        List<Migration> migrations = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        for (Generator.Entry e : result.entries()) {
            List<String> sql = List.of(e.files().sql().split(Pattern.quote(FolderReader.BREAKPOINT) + "\n?", -1));
            statements.addAll(sql);
            List<File> files = new ArrayList<>(List.of(
                    new File(e.files().sqlFile(), e.files().sql()),
                    new File(e.files().snapshotPath(), e.files().snapshot())));
            if (e.files().journal() != null) {
                files.add(new File(FolderReader.JOURNAL, e.files().journal()));
            }
            if (e.files().downFile() != null) {
                files.add(new File(e.files().downFile(), e.files().down()));
            }
            migrations.add(new Migration(e.idx(), e.tag(), e.when(), e.id(), e.prevId(), sql, files));
        }
        return new GenerateResponse(migrations.isEmpty() ? null : migrations.get(0).tag(),
                result.plan().comparison(), PlanViews.changes(result.plan().changes()), statements,
                PlanViews.hazards(result.plan().hazards()), PlanViews.renames(result.plan().renameCandidates()), migrations,
                result.written(), result.warnings(), result.verification() != null && result.verification().verified(),
                VerificationView.of(result.verification()));
    }

    @Schema(name = "GeneratedMigration")
    public record Migration(int idx, String tag, long when, String id, String prevId, List<String> statements,
                            List<File> files) {
    }

    @Schema(name = "GeneratedFile")
    public record File(@Schema(description = "Path inside the folder, e.g. meta/0003_snapshot.json") String path,
                       @Schema(description = "The file's exact content") String content) {
    }
}
