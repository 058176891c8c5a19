package dev.mellon.migrator.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

import java.nio.file.Path;

/**
 * The jar's entry point. {@code java -jar quarkus-run.jar} with no command serves HTTP as it always did; with a
 * command it runs that command against the same engine and exits with its code ({@link Exits}).
 */
@QuarkusMain
public class Main implements QuarkusApplication {

    @Inject
    CommandLine.IFactory factory;

    public static void main(String... args) {
        int early = Launch.prepare(args, System.getenv(), Path.of("").toAbsolutePath(), System.out, System.err);
        if (early >= 0) {
            System.exit(early);
        }
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) {
        if (args.length == 0 || (args.length == 1 && args[0].equals("serve"))) {
            // The service as it always started: building picocli's model of every command would only compete for the
            // CPU with the first requests.
            Quarkus.waitForExit();
            return Exits.OK;
        }
        return new CommandLine(MigratorCommand.class, factory)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args);
    }
}
