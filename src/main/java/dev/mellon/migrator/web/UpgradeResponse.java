package dev.mellon.migrator.web;

import dev.mellon.migrator.engine.upgrade.TrackingUpgrader;
import dev.mellon.migrator.engine.upgrade.Upgrader;
import dev.mellon.migrator.folder.DirectoryMove;
import dev.mellon.migrator.folder.DirectoryNames;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** What an upgrade to drizzle 1.0 did, or with a dry run would do. */
@Schema(name = "UpgradeResponse")
public record UpgradeResponse(
        @Schema(description = "The folder's format before: journal (drizzle-kit 0.x) or directories (1.0)") String formatBefore,
        @Schema(description = "The folder's format after (with a dry run: what it would be)") String formatAfter,
        boolean dryRun,
        @Schema(description = "Where each journal entry goes; empty when the folder was already in directories")
        List<DirectoryNames.Move> directories,
        @Schema(description = "The files written (with a dry run, with their content, to commit yourself)") List<File> files,
        @Schema(description = "The files and directories removed") List<String> removed,
        @Schema(description = "What differs from drizzle-kit up, or is left to it") List<String> notes,
        @Schema(description = "The tracking table's upgrade; absent when not asked") Table table) {

    /** @param content the file's text; only with a dry run */
    public record File(String path, String from, String content) {
    }

    @Schema(name = "TrackingUpgrade")
    public record Table(
            @Schema(description = "Whether the table lacked drizzle-orm 1.0's name and applied_at columns") boolean columnsAdded,
            @Schema(description = "The rows named, or renamed, by hash") List<TrackingUpgrader.Rename> renames) {
    }

    public static UpgradeResponse of(Upgrader.Result result) {
        DirectoryMove.Plan plan = result.folder();
        String before = result.formatBefore().wireName();
        String after = plan == null ? before : "directories";
        TrackingUpgrader.Result t = result.table();
        return new UpgradeResponse(before, after, result.dryRun(), plan == null ? List.of() : plan.moves(),
                plan == null ? List.of() : plan.files().stream()
                        .map(f -> new File(f.path(), f.from(), result.dryRun() ? f.text() : null)).toList(),
                plan == null ? List.of() : plan.removed(), plan == null ? List.of() : plan.notes(),
                t == null ? null : new Table(t.columnsAdded(), t.renames()));
    }
}
