package dev.mellon.migrator.cli;

import dev.mellon.migrator.web.DurationField;
import dev.mellon.migrator.web.InvalidRequestException;
import dev.mellon.migrator.web.PushResponse;
import dev.mellon.migrator.config.MigratorConfig;
import dev.mellon.migrator.engine.generate.Pusher;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * {@code POST /schema/push} as a command: the database brought to a desired schema directly, in one transaction under the
 * apply lock. The service refuses push unless configured for it; the command line is run by someone holding the
 * database's credentials already, so it only asks for {@code --accept-data-loss} before a step that deletes data.
 */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = "drizzle-kit push, made safe: bring the database to a desired schema in one transaction, without a "
                + "migration file. For development databases. Steps that delete data need --accept-data-loss.")
public class PushCommand extends EngineCommand {

    @Mixin
    SchemaOptions schema;

    @Option(names = "--accept-data-loss", description = "Run steps that delete data (drop a table or column, narrow a type)")
    boolean acceptDataLoss;

    @Option(names = "--dry-run", description = "Print the statements; change nothing")
    boolean dryRun;

    @Mixin
    LockWaitOption lockWait;

    @Inject
    Pusher pusher;

    @Inject
    MigratorConfig config;

    @Override
    int run() {
        SchemaOptions.Desired desired = schema.desired(System.in);
        if (desired == null) {
            throw new InvalidRequestException("schema", "Pass --schema FILE (a Drizzle v7 snapshot or SQL DDL)");
        }
        Duration waitUpTo = DurationField.lockWait(lockWait.wait, config.lockWait(), config.lockWaitMax());
        PushResponse response = PushResponse.of(pusher.push(new Pusher.Request(desired.snapshot(), desired.sql(),
                schema.renameHints(), acceptDataLoss, dryRun, waitUpTo)));
        if (json()) {
            printJson(response);
            return Exits.OK;
        }
        response.statements().forEach(statement -> out().println(statement.strip().endsWith(";") ? statement : statement + ";"));
        planNotes(response.hazards(), response.renameCandidates());
        out().println((response.statements().isEmpty() ? "" : "\n") + (response.statements().isEmpty() ? "in sync: nothing to push"
                : response.executed() ? "pushed: " + plural(response.statements().size(), "statement", "statements") + " in "
                + response.millis() + " ms (one transaction)"
                : "would push " + plural(response.statements().size(), "statement", "statements") + " (dry run)"));
        response.warnings().forEach(w -> err().println("warning: " + w));
        out().flush();
        err().flush();
        return Exits.OK;
    }
}
