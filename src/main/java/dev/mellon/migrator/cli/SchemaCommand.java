package dev.mellon.migrator.cli;

import dev.mellon.migrator.engine.schema.SchemaViewer;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code GET /schema} as a command. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "A schema as a Drizzle v7 snapshot (json), a CREATE script (sql) or a Mermaid ER diagram.")
public class SchemaCommand extends EngineCommand {

    @Option(names = "--format", paramLabel = "json|sql|mermaid", description = "json (default), sql or mermaid")
    String format;

    @Option(names = "--source", paramLabel = "SIDE", description = "database (default), migrations or migrations@<tag>")
    String source;

    @Mixin
    FilterOptions filters;

    @Inject
    SchemaViewer views;

    @Override
    int run() {
        SchemaViewer.Rendered rendered = views.schema(format == null && json() ? "json" : format, source, filters.schemaFilter, filters.tablesFilter);
        out().println(rendered.body());
        out().flush();
        return Exits.OK;
    }
}
