package dev.mellon.migrator.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** The top command: with no subcommand it serves HTTP, as {@code serve} does. */
@TopCommand
@Command(name = "mellon-migrator", mixinStandardHelpOptions = true, versionProvider = MigratorCommand.Version.class,
        description = "Applies and inspects Drizzle Kit PostgreSQL migration folders. Without a command: serve.",
        subcommands = {ServeCommand.class, ApplyCommand.class, StatusCommand.class, PendingCommand.class,
                CheckCommand.class, DiffCommand.class, SchemaCommand.class, GenerateCommand.class,
                PushCommand.class, UpCommand.class, picocli.CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok (diff: no drift; check: no error)",
                "1:failed (a migration, the database, the folder; check found errors)",
                "2:bad usage (unknown command or option, invalid value, no database URL)",
                "3:drift found (diff)",
                "4:migration lock not acquired within --wait",
                "5:refused (changed, out-of-order, moved or ambiguous entries; a run that would strand entries; push that would delete data)"})
public class MigratorCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Override
    public Integer call() {
        Quarkus.waitForExit();
        return Exits.OK;
    }

    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = MigratorCommand.class.getPackage().getImplementationVersion();
            return new String[]{"mellon-migrator " + (version == null ? "0.1.0" : version)};
        }
    }
}
