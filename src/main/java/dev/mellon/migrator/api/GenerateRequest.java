package dev.mellon.migrator.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /migrations/generate}. */
@Schema(name = "GenerateRequest")
public class GenerateRequest extends SchemaInput {

    @Schema(description = "The tag's name part (letters, digits, _ and -); a random adjective_noun when left out")
    public String name;

    @Schema(description = "Zero-downtime plan: concurrent indexes in a migration of their own, NOT VALID then VALIDATE, "
            + "SET NOT NULL through a validated check, a backfill step for new NOT NULL columns", defaultValue = "false")
    public Boolean online;

    @Schema(description = "Write an empty custom migration, as drizzle-kit generate --custom does", defaultValue = "false")
    public Boolean custom;

    @Schema(description = "Plan only: return the files without writing them", defaultValue = "false")
    public Boolean dryRun;

    @Schema(description = "Also write <tag>.down.sql beside the new file: the reverse of this migration, for a person to "
            + "review and edit (rollback uses it before the one it computes from the snapshots)", defaultValue = "false")
    public Boolean writeDown;

    @Schema(description = "Prove the new migration before returning it: apply it to a replay of the folder's history in "
            + "a sandbox, as apply runs it, and compare the result with the desired schema. false returns it unproven",
            defaultValue = "true")
    public Boolean verify;

    @Override
    String fieldNames() {
        return "snapshot, sql, name, renames, hints, online, custom, dryRun, writeDown, verify";
    }
}
