package dev.mellon.migrator.cli;

import picocli.CommandLine.Option;

/** drizzle-kit's schema and table filters, shared by the commands that read a schema. */
public class FilterOptions {

    @Option(names = "--schema-filter", paramLabel = "GLOBS", description = "Comma-separated schema globs; !glob excludes")
    String schemaFilter;

    @Option(names = "--tables-filter", paramLabel = "GLOBS", description = "Comma-separated table globs; !glob excludes")
    String tablesFilter;
}
