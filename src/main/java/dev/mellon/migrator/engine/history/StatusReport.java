package dev.mellon.migrator.engine.history;

import dev.mellon.migrator.folder.FolderWarning;
import dev.mellon.migrator.folder.MigrationFolder;

import java.util.List;

/**
 * Every journal entry with its state, plus the tracking rows that explain nothing in the folder.
 *
 * @param unknownRows     rows that match no journal entry (a migration deleted from the folder, another folder, or a
 *                        second row for an entry that already has one)
 * @param nullCreatedAt   rows with a NULL {@code created_at}: drizzle sorts them first under {@code order by created_at
 *                        desc}, reads the history as empty and re-runs every migration
 * @param highWaterMark   the largest non-NULL {@code created_at}, or {@code null} when there is none: drizzle skips
 *                        every entry whose {@code when} is at or below it
 */
public record StatusReport(MigrationFolder folder, List<MigrationStatus> migrations, List<TrackingRow> unknownRows,
                           List<TrackingRow> nullCreatedAt, Long highWaterMark) {

    public StatusReport {
        migrations = List.copyOf(migrations);
        unknownRows = List.copyOf(unknownRows);
        nullCreatedAt = List.copyOf(nullCreatedAt);
    }

    StatusReport withMigrations(List<MigrationStatus> statuses) {
        return new StatusReport(folder, statuses, unknownRows, nullCreatedAt, highWaterMark);
    }

    public List<MigrationStatus> inState(MigrationState state) {
        return migrations.stream().filter(s -> s.state() == state).toList();
    }

    public List<FolderWarning> folderWarnings() {
        return folder.warnings();
    }
}
