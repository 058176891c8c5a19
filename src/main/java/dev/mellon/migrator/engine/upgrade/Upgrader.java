package dev.mellon.migrator.engine.upgrade;

import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.folder.DirectoryMove;
import dev.mellon.migrator.folder.FolderFormat;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.FolderWriter;
import dev.mellon.migrator.folder.MigrationFolder;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Carries a team from drizzle 0.x to 1.0: the tracking table first (drizzle-orm 1.0's columns, every row named by hash
 * after the directory its migration moves into), then the folder (each journal entry into its directory). The table
 * goes first because a table named for the directories still serves the journal folder, while the moved folder could
 * not be applied against an unnamed table without upgrading it. A refusal of the table leaves both untouched.
 */
public final class Upgrader {

    /**
     * @param formatBefore the folder's format before the upgrade
     * @param folder       the move, or {@code null} when the folder was already in directories or was not asked
     * @param table        the table's upgrade, or {@code null} when it was not asked
     */
    public record Result(FolderFormat formatBefore, boolean dryRun, DirectoryMove.Plan folder, TrackingUpgrader.Result table) {
    }

    private final Migrator migrator;
    private final TrackingUpgrader tracking;

    public Upgrader(Migrator migrator, TrackingUpgrader tracking) {
        this.migrator = migrator;
        this.tracking = tracking;
    }

    public Result upgrade(boolean dryRun, boolean folder, boolean table, Duration wait) {
        Path path = migrator.folderPath();
        return FolderWriter.exclusive(path, () -> {
            byte[] journal = FolderWriter.readJournal(path);
            MigrationFolder read = new FolderReader().read(path);
            DirectoryMove.Plan plan = folder && read.format() == FolderFormat.JOURNAL ? DirectoryMove.plan(read) : null;
            TrackingUpgrader.Result tableResult = table ? tracking.upgrade(wait, dryRun) : null;
            if (plan != null && !dryRun) {
                DirectoryMove.apply(path, plan, journal);
            }
            return new Result(read.format(), dryRun, plan, tableResult);
        });
    }
}
