package dev.mellon.migrator.cli;

import dev.mellon.migrator.web.HistoryResponse;
import dev.mellon.migrator.web.MigrationView;
import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.folder.FolderWarning;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /migrations} as a command. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Every journal entry with its status (applied, pending, changed, out-of-order, moved, ambiguous).")
public class StatusCommand extends EngineCommand {

    @Inject
    Migrator migrator;

    @Override
    int run() {
        HistoryResponse history = HistoryResponse.of(migrator.trackingTable().qualifiedName(), migrator.status());
        if (json()) {
            printJson(history);
            return Exits.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"STATUS", "TAG", "WHEN", "STATEMENTS", "APPLIED AT"});
        for (MigrationView m : history.migrations()) {
            rows.add(new String[]{m.status(), m.tag(), Instant.ofEpochMilli(m.when()).toString(),
                    Integer.toString(m.statements()), m.appliedAt() == null ? "" : m.appliedAt().toString()});
        }
        table(rows);
        HistoryResponse.Counts c = history.counts();
        StringBuilder summary = new StringBuilder("\n" + plural(c.total(), "migration", "migrations") + ": " + c.applied() + " applied, "
                + c.pending() + " pending");
        if (c.changed() > 0) {
            summary.append(", ").append(c.changed()).append(" changed");
        }
        if (c.outOfOrder() > 0) {
            summary.append(", ").append(c.outOfOrder()).append(" out-of-order");
        }
        if (c.moved() > 0) {
            summary.append(", ").append(c.moved()).append(" moved");
        }
        if (c.ambiguous() > 0) {
            summary.append(", ").append(c.ambiguous()).append(" ambiguous");
        }
        out().println(summary + " (" + history.trackingTable() + ")");
        for (FolderWarning warning : history.warnings()) {
            err().println("warning: " + warning.message());
        }
        out().flush();
        err().flush();
        return Exits.OK;
    }
}
