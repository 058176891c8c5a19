package dev.mellon.migrator.cli;

import dev.mellon.migrator.web.CheckResponse;
import dev.mellon.migrator.config.MigratorConfig;
import dev.mellon.migrator.engine.check.CheckFinding;
import dev.mellon.migrator.engine.schema.HistoryCheck;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** {@code GET /migrations/check} as a command; needs no database. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Folder integrity, like drizzle-kit check and more, and where the snapshots disagree with what the SQL "
                + "produces (with a database server to replay it on). Exit 1 when an error is found.")
public class CheckCommand extends EngineCommand {

    @Inject
    MigratorConfig config;

    @Inject
    HistoryCheck historyCheck;

    @picocli.CommandLine.Option(names = "--no-snapshots", description = "Do not compare the snapshots with what the SQL "
            + "produces (that comparison replays the history in sandboxes on the database server)")
    boolean noSnapshots;

    @Override
    int run() {
        CheckResponse check = CheckResponse.of(historyCheck.check(false, !noSnapshots));
        if (json()) {
            printJson(check);
        } else {
            List<String[]> rows = new ArrayList<>();
            for (CheckFinding f : check.findings()) {
                rows.add(new String[]{f.severity(), f.code(), f.file() == null ? "" : f.file(), f.message()});
            }
            table(rows);
            out().println((rows.isEmpty() ? "" : "\n") + (check.ok() ? "ok" : "failed") + ": "
                    + plural(check.errors(), "error", "errors") + ", " + plural(check.warnings(), "warning", "warnings")
                    + " in " + config.folder());
            out().flush();
        }
        return check.ok() ? Exits.OK : Exits.FAILED;
    }
}
