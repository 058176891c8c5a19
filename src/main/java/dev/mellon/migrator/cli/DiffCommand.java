package dev.mellon.migrator.cli;

import dev.mellon.migrator.web.SchemaDiffResponse;
import dev.mellon.migrator.engine.schema.SchemaViewer;
import dev.mellon.migrator.diff.Difference;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code GET /schema/diff} as a command: exit 3 when the schemas differ. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Drift: how the live database differs from what the history expects. Exit 3 when it does.")
public class DiffCommand extends EngineCommand {

    @Option(names = "--from", paramLabel = "SIDE", description = "migrations (default), database or migrations@<tag>")
    String from;

    @Option(names = "--to", paramLabel = "SIDE", description = "database (default), migrations or migrations@<tag>")
    String to;

    @Mixin
    FilterOptions filters;

    @Inject
    SchemaViewer views;

    @Override
    int run() {
        SchemaDiffResponse diff = SchemaDiffResponse.of(views.diff(from, to, filters.schemaFilter, filters.tablesFilter));
        if (json()) {
            printJson(diff);
        } else {
            List<String[]> rows = new ArrayList<>();
            for (Difference d : diff.differences()) {
                String what = d.attribute() == null ? "" : d.attribute() + ": expected " + d.expected() + ", actual " + d.actual();
                rows.add(new String[]{d.change(), d.objectKind(), d.name(), what});
            }
            table(rows);
            if (!diff.inSync() && diff.sql() != null && !diff.sql().isEmpty()) {
                out().println("\n-- SQL that makes " + diff.to() + " match " + diff.from() + ":");
                diff.sql().forEach(statement -> out().println(statement.strip().endsWith(";") ? statement : statement + ";"));
            }
            out().println((rows.isEmpty() ? "" : "\n") + (diff.inSync() ? "in sync" : "drift: " + plural(diff.differences().size(),
                    "difference", "differences")) + " (" + diff.from() + " vs " + diff.to() + ", " + diff.comparison() + " comparison)");
            if (diff.pending() != null && !diff.pending().isEmpty()) {
                out().println("not applied yet: " + String.join(", ", diff.pending()));
            }
            for (String warning : diff.warnings()) {
                err().println("warning: " + warning);
            }
            out().flush();
            err().flush();
        }
        return diff.inSync() ? Exits.OK : Exits.DRIFT;
    }
}
