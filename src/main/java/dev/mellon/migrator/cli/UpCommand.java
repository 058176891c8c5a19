package dev.mellon.migrator.cli;

import dev.mellon.migrator.config.MigratorConfig;
import dev.mellon.migrator.engine.upgrade.Upgrader;
import dev.mellon.migrator.web.DurationField;
import dev.mellon.migrator.web.UpgradeResponse;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code POST /migrations/upgrade} as a command: drizzle-kit up, made safe. The tracking table is named by hash under the
 * apply lock, then the journal folder moves into drizzle-kit 1.0's directories.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Upgrade to drizzle 1.0: name the tracking table's rows by hash (drizzle-orm 1.0's name and applied_at"
                + " columns), then move the journal folder into one directory per migration, as drizzle-kit up does.")
public class UpCommand extends EngineCommand {

    @Option(names = "--dry-run", description = "Print what would change; change nothing")
    boolean dryRun;

    @Option(names = "--folder-only", description = "Move the folder; leave the tracking table (no database needed)")
    boolean folderOnly;

    @Option(names = "--table-only", description = "Upgrade the tracking table; leave the folder")
    boolean tableOnly;

    @Mixin
    LockWaitOption lockWait;

    @Inject
    Upgrader upgrader;

    @Inject
    MigratorConfig config;

    @Override
    int run() {
        UpgradeResponse response = UpgradeResponse.of(upgrader.upgrade(dryRun, !tableOnly, !folderOnly,
                DurationField.lockWait(lockWait.wait, config.lockWait(), config.lockWaitMax())));
        if (json()) {
            printJson(response);
            return Exits.OK;
        }
        String verb = dryRun ? "would move" : "moved";
        response.directories().forEach(m -> out().println(verb + " " + m.tag() + " -> " + m.directory() + "/"
                + (m.shiftedBy() == 0 ? "" : " (dated " + m.shiftedBy() + " s later, to keep the order)")));
        if (response.table() != null) {
            response.table().renames().forEach(r -> out().println((dryRun ? "would name" : "named") + " tracking row " + r.id()
                    + " " + r.to() + (r.from() == null ? "" : " (was " + r.from() + ")")));
            if (response.table().columnsAdded()) {
                out().println((dryRun ? "would add" : "added") + " the name and applied_at columns");
            }
        }
        response.notes().forEach(n -> err().println("note: " + n));
        out().println("folder: " + response.formatBefore() + " -> " + response.formatAfter() + (dryRun ? " (dry run)" : ""));
        out().flush();
        err().flush();
        return Exits.OK;
    }
}
