package dev.mellon.migrator.cli;

import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** Runs the REST service until the process is stopped (the default when no command is given). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the REST service (the default). Needs API tokens in production, see docs/security.md.")
public class ServeCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Override
    public Integer call() {
        Quarkus.waitForExit();
        return Exits.OK;
    }
}
