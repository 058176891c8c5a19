package dev.mellon.migrator.web;

import dev.mellon.migrator.engine.history.StatusReport;
import dev.mellon.migrator.engine.history.TrackingRow;
import dev.mellon.migrator.folder.FolderWarning;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;

/** The whole history: every journal entry with its status, and what does not add up. */
@Schema(name = "History")
public record HistoryResponse(
        @Schema(description = "The tracking table, schema-qualified") String trackingTable,
        @Schema(description = "Counts per status") Counts counts,
        List<MigrationView> migrations,
        @Schema(description = "Tracking rows that match no journal entry") List<TrackingRow> unknownRows,
        @Schema(description = "Warnings about the folder and the tracking table") List<FolderWarning> warnings,
        @Schema(description = "The folder's layout: journal (drizzle-kit 0.x: meta/_journal.json, matched to tracking rows by"
                + " when) or directories (drizzle-kit 1.0: one directory per migration, matched by name)",
                enumeration = {"journal", "directories"}) String folderFormat) {

    public record Counts(int total, int applied, int pending, int changed, int outOfOrder, int moved, int ambiguous,
                         int interrupted) {
    }

    public static HistoryResponse of(String trackingTable, StatusReport report) {
        return of(trackingTable, report, java.util.Map.of());
    }

    /** @param audit who applied each entry and how long it took, keyed by {@code Migrator.auditKey} */
    public static HistoryResponse of(String trackingTable, StatusReport report,
                                     java.util.Map<String, dev.mellon.migrator.engine.history.AuditDetail> audit) {
        List<MigrationView> views = report.migrations().stream()
                .map(s -> MigrationView.of(s, s.state() == dev.mellon.migrator.engine.history.MigrationState.APPLIED
                        ? audit.get(dev.mellon.migrator.engine.apply.Migrator.auditKey(s.migration())) : null)).toList();
        Counts counts = new Counts(views.size(), count(views, "applied"), count(views, "pending"), count(views, "changed"),
                count(views, "out-of-order"), count(views, "moved"), count(views, "ambiguous"),
                count(views, "interrupted"));
        return new HistoryResponse(trackingTable, counts, views, report.unknownRows(), warnings(report),
                report.folder().format().wireName());
    }

    public static List<FolderWarning> warnings(StatusReport report) {
        List<FolderWarning> warnings = new ArrayList<>(report.folderWarnings());
        for (TrackingRow row : report.nullCreatedAt()) {
            warnings.add(new FolderWarning("null-created-at", null, "Tracking row id " + row.id()
                    + " has a NULL created_at: drizzle-orm's migrator treats the history as empty and would re-run every migration"));
        }
        if (!report.unknownRows().isEmpty()) {
            warnings.add(new FolderWarning("unknown-tracking-rows", null, report.unknownRows().size()
                    + " tracking row(s) match no journal entry (a migration removed from the folder, or another folder's history)"));
        }
        return warnings;
    }

    private static int count(List<MigrationView> views, String status) {
        return (int) views.stream().filter(v -> v.status().equals(status)).count();
    }
}
