package dev.mellon.migrator.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /schema/push}. */
@Schema(name = "PushRequest")
public class PushRequest extends SchemaInput {

    @Schema(description = "Go ahead although steps delete data (dropped tables or columns)", defaultValue = "false")
    public Boolean acceptDataLoss;

    @Schema(description = "Plan only: return the statements and hazards without executing them", defaultValue = "false")
    public Boolean dryRun;

    @Schema(description = "How long to wait for a running apply's lock, as an ISO-8601 duration", example = "PT30S")
    public String wait;

    @Override
    String fieldNames() {
        return "snapshot, sql, renames, hints, acceptDataLoss, dryRun, wait";
    }
}
