package dev.mellon.migrator.cli;

import dev.mellon.migrator.web.ApplyRequest;
import dev.mellon.migrator.web.ApplyResponse;
import dev.mellon.migrator.web.ServiceIdentity;
import dev.mellon.migrator.config.MigratorConfig;
import dev.mellon.migrator.engine.apply.AppliedMigration;
import dev.mellon.migrator.engine.apply.ApplyOptions;
import dev.mellon.migrator.engine.apply.ApplyListener;
import dev.mellon.migrator.engine.apply.ApplyResult;
import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.engine.core.RunContext;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code POST /migrations/apply} as a command. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Apply pending migrations under the advisory lock, exactly as POST /migrations/apply does.")
public class ApplyCommand extends EngineCommand {

    @Option(names = "--dry-run", description = "Plan only: list what would run, execute nothing")
    boolean dryRun;

    @Option(names = "--to", paramLabel = "TAG", description = "Stop after this tag")
    String to;

    @Option(names = "--transaction", paramLabel = "all|each",
            description = "all: one transaction for the batch (drizzle's behaviour, the default); each: one per migration")
    String transaction;

    @Mixin
    LockWaitOption lockWait;

    @Option(names = "--allow-out-of-order", description = "Apply entries drizzle's high-water mark would skip forever")
    boolean allowOutOfOrder;

    @Option(names = "--allow-changed", description = "Go on although applied files were edited (audited)")
    boolean allowChanged;

    @Option(names = "--allow-moved", description = "Re-run entries whose SQL was recorded under another created_at")
    boolean allowMoved;

    @Option(names = "--resume", description = "Go on with migrations a run left interrupted outside a transaction")
    boolean resume;

    @Option(names = "--lock-timeout", paramLabel = "DURATION",
            description = "ISO-8601 lock_timeout of each statement (default: migrator.apply.lock-timeout, 5 s)")
    String lockTimeout;

    @Option(names = "--lock-retries", paramLabel = "N",
            description = "Start again up to N times (0 to 10), after a jittered pause, when a statement fails on its lock timeout")
    Integer lockRetries;

    @Option(names = "--rebuild-invalid",
            description = "Before running anything, drop and rebuild (concurrently) each INVALID index a failed concurrent build left")
    boolean rebuildInvalid;

    @Option(names = "--statement-timeout", paramLabel = "DURATION",
            description = "ISO-8601 statement_timeout of each statement (default: none)")
    String statementTimeout;

    @Option(names = "--source", paramLabel = "LABEL", description = "A label for the audit trail, e.g. the CI job")
    String source;

    @Inject
    Migrator migrator;

    /** One line on standard error as each migration's statements finish, so a long run shows where it is. */
    private static final class ProgressLines implements ApplyListener {
        private final java.io.PrintWriter err;

        ProgressLines(java.io.PrintWriter err) {
            this.err = err;
        }

        @Override
        public void lockWaiting() {
            err.println("waiting for the migration lock (another run holds it) ...");
            err.flush();
        }

        @Override
        public void migrationDone(String tag, long millis) {
            err.println("  ran " + tag + " (" + millis + " ms)");
            err.flush();
        }
    }

    @Inject
    MigratorConfig config;

    @Override
    int run() {
        long started = System.nanoTime();
        ApplyRequest request = request();
        ApplyOptions applyOptions = request.toOptions(config.lockWait(), config.lockWaitMax(), config.transaction(),
                new ApplyOptions.Timeouts(config.apply().lockTimeout(), config.apply().statementTimeout()),
                config.apply().timeoutMax());
        String user = System.getProperty("user.name", "unknown");
        RunContext context = new RunContext("cli:" + user + " via " + ServiceIdentity.NAME, null,
                source == null ? null : source.length() > 200 ? source.substring(0, 200) : source);
        if (!json()) {
            err().println((dryRun ? "Planning" : "Applying") + " " + config.folder() + " ...");
            err().flush();
        }
        ApplyResult result = migrator.apply(applyOptions, context, json() ? ApplyListener.NONE : new ProgressLines(err()));
        ApplyResponse response = ApplyResponse.of(result, (System.nanoTime() - started) / 1_000_000);
        if (json()) {
            printJson(response);
            return Exits.OK;
        }
        List<String[]> rows = new ArrayList<>();
        String verb = response.dryRun() ? "would apply" : "applied";
        for (AppliedMigration m : response.applied()) {
            rows.add(new String[]{verb, m.tag(), plural(m.statements(), "statement", "statements"),
                    response.dryRun() ? "" : m.millis() + " ms"});
        }
        table(rows);
        if (!rows.isEmpty()) {
            out().println();
        }
        List<String[]> summary = new ArrayList<>();
        summary.add(new String[]{"outcome", response.outcome()});
        summary.add(new String[]{response.dryRun() ? "would apply" : "applied", Integer.toString(response.applied().size())});
        summary.add(new String[]{"already applied", Integer.toString(response.alreadyAppliedCount())});
        if (!response.appliedByConcurrentRun().isEmpty()) {
            summary.add(new String[]{"applied by another run", String.join(", ", response.appliedByConcurrentRun())});
        }
        summary.add(new String[]{"lock wait", response.lockWaitMillis() + " ms" + (response.waitedForLock() ? " (waited for another run)" : "")});
        summary.add(new String[]{"transaction", response.transaction()});
        summary.add(new String[]{"total", response.totalMillis() + " ms"});
        summary.add(new String[]{"run id", String.valueOf(response.runId())});
        table(summary);
        for (String warning : response.warnings()) {
            err().println("warning: " + warning);
        }
        out().flush();
        err().flush();
        return Exits.OK;
    }

    /** The options as the body of {@code POST /migrations/apply}: one definition of them for both faces. */
    ApplyRequest request() {
        ApplyRequest request = new ApplyRequest();
        request.dryRun = dryRun;
        request.to = to;
        request.transaction = transaction;
        request.wait = lockWait.wait;
        request.allowOutOfOrder = allowOutOfOrder;
        request.allowChanged = allowChanged;
        request.allowMoved = allowMoved;
        request.resume = resume;
        request.lockTimeout = lockTimeout;
        request.statementTimeout = statementTimeout;
        request.lockRetries = lockRetries;
        request.rebuildInvalid = rebuildInvalid;
        return request;
    }
}
