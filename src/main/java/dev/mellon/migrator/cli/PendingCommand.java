package dev.mellon.migrator.cli;

import dev.mellon.migrator.web.MigrationView;
import dev.mellon.migrator.web.PendingResponse;
import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.folder.FolderWarning;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** {@code GET /migrations/pending} as a command. */
@Command(name = "pending", mixinStandardHelpOptions = true,
        description = "What an apply would run next, in order (out-of-order, changed, moved and ambiguous entries apart).")
public class PendingCommand extends EngineCommand {

    @Inject
    Migrator migrator;

    @Override
    int run() {
        PendingResponse pending = PendingResponse.of(migrator.status());
        if (json()) {
            printJson(pending);
            return Exits.OK;
        }
        List<String[]> rows = new ArrayList<>();
        add(rows, "pending", pending.pending());
        add(rows, "out-of-order", pending.outOfOrder());
        add(rows, "changed", pending.changed());
        add(rows, "moved", pending.moved());
        add(rows, "ambiguous", pending.ambiguous());
        table(rows);
        out().println((rows.isEmpty() ? "" : "\n") + plural(pending.count(), "pending migration", "pending migrations")
                + ", " + plural(pending.statements(), "statement", "statements"));
        for (FolderWarning warning : pending.warnings()) {
            err().println("warning: " + warning.message());
        }
        out().flush();
        err().flush();
        return Exits.OK;
    }

    private static void add(List<String[]> rows, String status, List<MigrationView> views) {
        for (MigrationView m : views) {
            rows.add(new String[]{status, m.tag(), plural(m.statements(), "statement", "statements")});
        }
    }
}
