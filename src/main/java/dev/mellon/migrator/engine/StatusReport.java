package dev.mellon.migrator.engine;

import dev.mellon.migrator.folder.FolderWarning;
import dev.mellon.migrator.folder.MigrationFolder;

import java.util.List;

/**
 * Every journal entry with its state, plus the tracking rows that explain nothing in the folder.
 *
 * @param unknownRows     rows that match no journal entry (a migration deleted from the folder, or another folder)
 * @param nullCreatedAt   rows with a NULL {@code created_at}: drizzle sorts them first and re-runs every migration
 */
public record StatusReport(MigrationFolder folder, List<MigrationStatus> migrations, List<TrackingRow> unknownRows,
                           List<TrackingRow> nullCreatedAt) {

    public StatusReport {
        migrations = List.copyOf(migrations);
        unknownRows = List.copyOf(unknownRows);
        nullCreatedAt = List.copyOf(nullCreatedAt);
    }

    public List<MigrationStatus> inState(MigrationState state) {
        return migrations.stream().filter(s -> s.state() == state).toList();
    }

    public List<FolderWarning> folderWarnings() {
        return folder.warnings();
    }
}
