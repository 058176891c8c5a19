package dev.mellon.migrator.cli;

import dev.mellon.migrator.api.SchemaViews;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code GET /schema} as a command. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "A schema as a Drizzle v7 snapshot (json), a CREATE script (sql) or a Mermaid ER diagram.")
public class SchemaCommand extends EngineCommand {

    @Option(names = "--format", paramLabel = "json|sql|mermaid", description = "json (default), sql or mermaid")
    String format;

    @Option(names = "--source", paramLabel = "SIDE", description = "database (default), migrations or migrations@<tag>")
    String source;

    @Option(names = "--schema-filter", paramLabel = "GLOBS", description = "Comma-separated schema globs; !glob excludes")
    String schemaFilter;

    @Option(names = "--tables-filter", paramLabel = "GLOBS", description = "Comma-separated table globs; !glob excludes")
    String tablesFilter;

    @Inject
    SchemaViews views;

    @Override
    int run() {
        SchemaViews.Rendered rendered = views.schema(format == null && json() ? "json" : format, source, schemaFilter, tablesFilter);
        out().println(rendered.body());
        out().flush();
        return Exits.OK;
    }
}
