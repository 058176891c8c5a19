package dev.mellon.migrator.web;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What {@code POST /migrations/upgrade} (and the command line's {@code up}) is asked to do. */
@Schema(name = "UpgradeRequest")
public class UpgradeRequest extends StrictBody {

    @Schema(description = "true: change nothing, answer with the files the folder would get and the rows that would be"
            + " named", defaultValue = "false")
    public Boolean dryRun;

    @Schema(description = "Move a journal folder into drizzle-kit 1.0's directories", defaultValue = "true")
    public Boolean folder;

    @Schema(description = "Give the tracking table drizzle-orm 1.0's name and applied_at columns and name every row by"
            + " hash (or repair rows named after the wrong migration)", defaultValue = "true")
    public Boolean table;

    @Schema(description = "How long to wait for a running apply's lock, as an ISO-8601 duration", example = "PT30S")
    public String wait;

    public boolean dryRun() {
        refuseUnknownFields("dryRun, folder, table, wait");
        return Boolean.TRUE.equals(dryRun);
    }

    public boolean folder() {
        return folder == null || folder;
    }

    public boolean table() {
        return table == null || table;
    }
}
