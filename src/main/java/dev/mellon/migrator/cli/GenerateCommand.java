package dev.mellon.migrator.cli;

import dev.mellon.migrator.web.GenerateResponse;
import dev.mellon.migrator.web.InvalidRequestException;
import dev.mellon.migrator.web.VerificationView;
import dev.mellon.migrator.engine.generate.Generator;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code POST /migrations/generate} as a command, writing into the folder as {@code drizzle-kit generate} does. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "drizzle-kit generate: the next migration from a desired schema, written into the folder (the SQL file, "
                + "its snapshot and the journal entry, byte for byte as drizzle-kit writes them).")
public class GenerateCommand extends EngineCommand {

    @Mixin
    SchemaOptions schema;

    @Option(names = "--name", paramLabel = "NAME", description = "The tag's name part; a random adjective_noun when left out")
    String name;

    @Option(names = "--online", description = "Zero-downtime plan: concurrent indexes in a migration of their own, NOT VALID "
            + "then VALIDATE, SET NOT NULL through a validated check")
    boolean online;

    @Option(names = "--custom", description = "An empty migration to fill in by hand (drizzle-kit generate --custom)")
    boolean custom;

    @Option(names = "--dry-run", description = "Print the files; write nothing")
    boolean dryRun;

    @Option(names = "--write-down", description = "Also write <tag>.down.sql, the reverse of the new migration, for review")
    boolean writeDown;

    @Option(names = "--no-verify", description = "Skip the proof (applying the new SQL to a replay of the folder in a sandbox, "
            + "as apply runs it, and comparing the result with the desired schema); the migration is marked unproven")
    boolean noVerify;

    @Inject
    Generator generator;

    @Override
    int run() {
        SchemaOptions.Desired desired = schema.desired(System.in);
        if (desired == null && !custom) {
            throw new InvalidRequestException("schema", "Pass --schema FILE (a Drizzle v7 snapshot or SQL DDL), or --custom");
        }
        Generator.Result result = generator.generate(new Generator.Request(desired == null ? null : desired.snapshot(),
                desired == null ? null : desired.sql(), name, schema.renameHints(), online, custom, dryRun, writeDown,
                !noVerify));
        GenerateResponse response = GenerateResponse.of(result);
        if (json()) {
            printJson(response);
            return Exits.OK;
        }
        if (response.migrations().isEmpty()) {
            out().println("No schema changes, nothing to generate");
        }
        for (GenerateResponse.Migration m : response.migrations()) {
            out().println((response.written() ? "generated " : "would generate ") + m.tag() + " ("
                    + plural(m.statements().size(), "statement", "statements") + ")");
            for (GenerateResponse.File file : m.files()) {
                out().println("  " + file.path());
                if (!response.written() && file.path().endsWith(".sql")) {
                    file.content().lines().forEach(line -> out().println("    " + line));
                }
            }
        }
        if (response.verification() != null) {
            VerificationView v = response.verification();
            out().println(v.status().equals("verified") ? "verified: applied to a replay of the folder and compared with the "
                    + "desired schema (" + v.millis() + " ms)" : "not verified: " + v.reason());
            if (v.notRun() != null) {
                v.notRun().forEach(statement -> out().println("  not run in the sandbox: " + statement));
            }
        }
        planNotes(response.hazards(), response.renameCandidates());
        response.warnings().forEach(w -> err().println("warning: " + w));
        out().flush();
        err().flush();
        return Exits.OK;
    }
}
