package dev.mellon.migrator.engine.upgrade;

import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.engine.check.CheckFinding;
import dev.mellon.migrator.engine.history.HistoryReader;
import dev.mellon.migrator.engine.history.TrackingNames;
import dev.mellon.migrator.engine.history.TrackingReads;
import dev.mellon.migrator.engine.history.TrackingStore;
import dev.mellon.migrator.engine.history.TrackingUpgradeRefusedException;
import dev.mellon.migrator.folder.MigrationFolder;

import dev.mellon.migrator.folder.FolderFormat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives the tracking table drizzle-orm 1.0's {@code name} and {@code applied_at} columns and names every row after its
 * migration, matched by hash ({@link TrackingNames}), under the apply lock and in one transaction. It also repairs a
 * table that drizzle-orm 1.0 upgraded by time alone and named after the wrong migrations. For a journal folder the
 * names are the directories {@code drizzle-kit up} will move its entries into, so the rows match before and after.
 */
public final class TrackingUpgrader {

    /** A row given a name, or a new one. */
    public record Rename(long id, String hash, Long createdAt, String from, String to) {
    }

    /**
     * @param columnsAdded whether the table lacked drizzle-orm 1.0's columns (they are added unless a dry run)
     * @param renames      the rows named or renamed
     * @param dryRun       whether nothing was written
     */
    public record Result(boolean columnsAdded, List<Rename> renames, boolean dryRun) {
        public Result {
            renames = List.copyOf(renames);
        }
    }

    private final Migrator migrator;
    private final HistoryReader history;

    public TrackingUpgrader(Migrator migrator) {
        this.migrator = migrator;
        this.history = migrator.history();
    }

    /**
     * What a check reports about the table's names, read without the lock: rows named after another migration than
     * their hash's (an upgrade by time alone went wrong: error), rows the upgrade could not name (error), and a 0.x
     * table that the next apply of this 1.0 folder will upgrade (info).
     */
    public List<CheckFinding> findings() {
        MigrationFolder folder = migrator.folder();
        TrackingReads.State state = history.readTracking();
        if (!state.presence().tracking() || !state.presence().named() && folder.format() != FolderFormat.DIRECTORIES) {
            return List.of();
        }
        TrackingNames.Matching matching = TrackingNames.match(folder, state.rows());
        List<CheckFinding> findings = new ArrayList<>();
        String table = migrator.trackingTable().qualifiedName();
        for (TrackingNames.Naming naming : matching.renames()) {
            if (naming.row().name() != null) {
                findings.add(new CheckFinding("error", "tracking-name-mismatch", folder.format().sqlFile(naming.name()),
                        "Row id " + naming.row().id() + " of " + table + " is named \"" + naming.row().name()
                                + "\" but records the SQL of \"" + naming.name() + "\" (its hash): drizzle-orm 1.0 counts the"
                                + " wrong migration as applied and may run the other again. POST /migrations/upgrade renames it"));
            }
        }
        if (!matching.complete()) {
            findings.add(new CheckFinding("error", "tracking-upgrade-blocked", null,
                    new TrackingUpgradeRefusedException(matching.unmatched(), matching.ambiguous()).getMessage()));
        } else if (!state.presence().named()) {
            findings.add(new CheckFinding("info", "tracking-table-0x", null, table + " has drizzle-orm 0.x's columns; the"
                    + " next apply (or POST /migrations/upgrade) adds name and applied_at and names its "
                    + state.rows().size() + " row(s) by hash"));
        }
        return findings;
    }

    /**
     * Upgrades (or, with {@code dryRun}, only plans the upgrade of) the table for the served folder. A table that does
     * not exist yet is left alone: the first apply creates it in the folder's generation.
     *
     * @throws TrackingUpgradeRefusedException when a row records no migration, or could record several
     */
    public Result upgrade(Duration wait, boolean dryRun) {
        MigrationFolder folder = migrator.folder();
        return migrator.withLock(wait, session -> {
            TrackingStore store = history.store();
            TrackingStore.Presence presence = store.presence(session);
            if (!presence.tracking()) {
                return new Result(false, List.of(), dryRun);
            }
            List<TrackingNames.Naming> renames;
            if (dryRun) {
                TrackingNames.Matching matching = TrackingNames.match(folder, store.rows(session));
                if (!matching.complete()) {
                    throw new TrackingUpgradeRefusedException(matching.unmatched(), matching.ambiguous());
                }
                renames = matching.renames();
            } else {
                renames = store.upgrade(session, folder);
            }
            return new Result(!presence.named(), renames.stream().map(n -> new Rename(n.row().id(), n.row().hash(),
                    n.row().createdAt(), n.row().name(), n.name())).toList(), dryRun);
        });
    }
}
