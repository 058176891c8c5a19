package dev.mellon.migrator.cli;

import picocli.CommandLine.Option;

/**
 * Options every command takes. {@code --database-url} and {@code --folder} are read by {@link Launch} before Quarkus
 * starts (the datasource is configured from them); they are declared here so that they parse and show in the help.
 */
public class CommonOptions {

    @Option(names = Launch.DATABASE_URL_OPTION, paramLabel = "URL",
            description = "postgresql://user:password@host:5432/db (or jdbc:postgresql://...); overrides DATABASE_URL and .env")
    String databaseUrl;

    @Option(names = Launch.FOLDER_OPTION, paramLabel = "DIR",
            description = "The Drizzle migration folder; overrides MIGRATOR_FOLDER and .env")
    String folder;

    @Option(names = "--json", description = "Print the REST response's JSON (problems as RFC 9457 JSON) instead of text")
    boolean json;
}
