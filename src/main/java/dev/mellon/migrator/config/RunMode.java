package dev.mellon.migrator.config;

/**
 * Whether this process serves HTTP or runs one command of the command line ({@code java -jar quarkus-run.jar apply}),
 * and the database URL the command line gave. The command line's launcher ({@code dev.mellon.migrator.cli.Main})
 * decides before Quarkus starts and says so in system properties, because start-up checks that only make sense for a
 * server (API tokens, the stale sandbox sweep) run before any command is parsed.
 */
public final class RunMode {

    /** {@code true} while a command-line command (anything but {@code serve}) runs. */
    public static final String CLI_PROPERTY = "mellon-migrator.cli";
    /** A database URL that wins over the {@code DATABASE_URL} variable: {@code --database-url}, or {@code .env}'s. */
    public static final String DATABASE_URL_PROPERTY = "mellon-migrator.database-url";

    private RunMode() {
    }

    public static boolean cli() {
        return Boolean.getBoolean(CLI_PROPERTY);
    }

    /** The raw database URL: {@code --database-url} (or {@code .env}'s when the variable is unset), else {@code DATABASE_URL}. */
    public static String databaseUrl() {
        String given = System.getProperty(DATABASE_URL_PROPERTY);
        if (given != null && !given.isBlank()) {
            return given;
        }
        return System.getenv(DatabaseUrl.VARIABLE);
    }
}
