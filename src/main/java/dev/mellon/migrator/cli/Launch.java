package dev.mellon.migrator.cli;

import dev.mellon.migrator.config.DatabaseConfigSource;
import dev.mellon.migrator.config.DatabaseUrl;
import dev.mellon.migrator.config.RunMode;
import dev.mellon.migrator.config.StartupGuard;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * What has to be settled before Quarkus starts, because start-up reads it: whether this process serves HTTP
 * ({@code serve}, or no command at all, exactly as before the command line existed) or runs one command (no HTTP
 * listener, logs on stderr and only from WARN, no API-token requirement), and where the database and the folder are.
 *
 * <p>For a command, the database URL is {@code --database-url}, else the {@code DATABASE_URL} variable, else
 * {@code DATABASE_URL} in {@code ./.env}; the folder is {@code --folder}, else {@code MIGRATOR_FOLDER}, else
 * {@code .env}'s. Real variables win over {@code .env}, as with dotenv.
 */
public final class Launch {

    static final Set<String> COMMANDS = Set.of("serve", "apply", "status", "pending", "check", "diff", "schema", "generate", "push",
            "help");
    /** Commands that need no database. */
    private static final Set<String> NO_DATABASE = Set.of("check", "help");
    static final String DATABASE_URL_OPTION = "--database-url";
    static final String FOLDER_OPTION = "--folder";

    private Launch() {
    }

    /** The command word: the first argument that is neither an option nor an option's value; {@code null} if none. */
    static String command(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals(DATABASE_URL_OPTION) || arg.equals(FOLDER_OPTION)) {
                i++;
            } else if (!arg.startsWith("-")) {
                return arg;
            }
        }
        return null;
    }

    /** The value of {@code --name value} or {@code --name=value}, the last one given; {@code null} if absent. */
    static String option(String[] args, String name) {
        String value = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name) && i + 1 < args.length) {
                value = args[++i];
            } else if (args[i].startsWith(name + "=")) {
                value = args[i].substring(name.length() + 1);
            }
        }
        return value;
    }

    private static boolean has(String[] args, String... names) {
        for (String arg : args) {
            for (String name : names) {
                if (arg.equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Sets the system properties start-up reads.
     *
     * @return {@code -1} to go on and start Quarkus, else the exit code to end with at once (a missing or malformed
     * database URL for a command that needs one, said on {@code err})
     */
    static int prepare(String[] args, Map<String, String> env, Path workingDirectory, PrintStream out, PrintStream err) {
        String command = command(args);
        String urlOption = option(args, DATABASE_URL_OPTION);
        String folderOption = option(args, FOLDER_OPTION);
        boolean helpOnly = has(args, "-h", "--help", "-V", "--version");
        if ((command == null && !helpOnly) || "serve".equals(command)) {
            // The service as it always started; the two options still work for it.
            if (urlOption != null) {
                System.setProperty(RunMode.DATABASE_URL_PROPERTY, urlOption);
            }
            if (folderOption != null) {
                System.setProperty("migrator.folder", folderOption);
            }
            return -1;
        }
        System.setProperty(RunMode.CLI_PROPERTY, "true");
        setIfAbsent("quarkus.http.host-enabled", "false");
        setIfAbsent("quarkus.log.console.stderr", "true");
        setIfAbsent("quarkus.log.level", "WARN");
        // The command prints the problem itself; the mapper's log line would say it twice.
        setIfAbsent("quarkus.log.category.\"dev.mellon.migrator.web.ProblemMappers\".level", "ERROR");
        setIfAbsent("quarkus.shutdown.timeout", "1s");

        Map<String, String> dotEnv = DotEnv.read(workingDirectory.resolve(".env"));
        String url = urlOption;
        if (url == null && blank(env.get(DatabaseUrl.VARIABLE)) && !blank(dotEnv.get(DatabaseUrl.VARIABLE))) {
            url = dotEnv.get(DatabaseUrl.VARIABLE);
        }
        if (url != null) {
            System.setProperty(RunMode.DATABASE_URL_PROPERTY, url);
        }
        String folder = folderOption;
        if (folder == null && blank(env.get("MIGRATOR_FOLDER")) && !blank(dotEnv.get("MIGRATOR_FOLDER"))) {
            folder = dotEnv.get("MIGRATOR_FOLDER");
        }
        if (folder != null) {
            System.setProperty("migrator.folder", folder);
        }
        String embedded = dotEnv.get(DatabaseConfigSource.EMBEDDED_VARIABLE);
        if (env.get(DatabaseConfigSource.EMBEDDED_VARIABLE) == null && embedded != null) {
            System.setProperty("migrator.embedded", embedded);
        }

        String effective = url != null ? url : env.get(DatabaseUrl.VARIABLE);
        if (command == null || NO_DATABASE.contains(command) || !COMMANDS.contains(command) || helpOnly) {
            if (blank(effective) && !DatabaseConfigSource.embeddedWanted()) {
                // The datasource is built at start-up even when no command uses it; a URL nothing connects to keeps
                // it active (the pool opens no connection until asked: min-size 0).
                setIfAbsent("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:1/no-database-needed");
            }
            return -1;
        }
        boolean json = has(args, "--json");
        if (blank(effective)) {
            if (DatabaseConfigSource.embeddedWanted()) {
                return -1;
            }
            return usage(out, err, json, "database-url-missing", "No database URL",
                    StartupGuard.missingUrlMessage() + "; or pass " + DATABASE_URL_OPTION + " or put "
                            + DatabaseUrl.VARIABLE + "=... in ./.env");
        }
        try {
            DatabaseUrl.parse(effective);
        } catch (IllegalArgumentException e) {
            return usage(out, err, json, "database-url-invalid", "Invalid database URL",
                    "Invalid " + DatabaseUrl.VARIABLE + ": " + e.getMessage());
        }
        return -1;
    }

    private static int usage(PrintStream out, PrintStream err, boolean json, String kind, String title, String detail) {
        dev.mellon.migrator.web.Problem problem = new dev.mellon.migrator.web.Problem(kind, title, 400, detail);
        if (json) {
            try {
                out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(problem));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                err.println("error: " + problem.detail);
            }
        } else {
            err.println("error: " + problem.detail);
        }
        return Exits.USAGE;
    }

    private static void setIfAbsent(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
