package dev.mellon.migrator.api;

import dev.mellon.migrator.web.StrictBody;

import dev.mellon.migrator.web.InvalidRequestException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /migrations/rollback}. */
@Schema(name = "RollbackRequest")
public class RollbackRequest extends StrictBody {

    static final String FIELDS = "to, acceptDataLoss, dryRun, wait, reason";

    @Schema(description = "The last entry to keep: every applied entry after it is rolled back, newest first. It must be "
            + "applied. \"\" rolls back every applied entry. Required", required = true, example = "0001_add_new_column")
    public String to;

    @Schema(description = "Go ahead although downs delete data (dropped tables or columns)", defaultValue = "false")
    public Boolean acceptDataLoss;

    @Schema(description = "Plan only: return the downs that would run, with their hazards, without touching anything",
            defaultValue = "false")
    public Boolean dryRun;

    @Schema(description = "How long to wait for a running apply's lock, as an ISO-8601 duration", example = "PT30S")
    public String wait;

    @Schema(description = "Why; kept in the audit table with each rolled-back entry", example = "release 812 reverted")
    public String reason;

    /** Checks the body; {@code to} is required (a missing one must not roll back everything by accident). */
    void validate() {
        refuseUnknownFields(FIELDS);
        if (to == null) {
            throw new InvalidRequestException("to", "Name the last entry to keep in \"to\" (\"\" rolls back every applied entry)");
        }
        if (!to.isEmpty()) {
            dev.mellon.migrator.folder.FolderReader.checkTag(to, null, "to");
        }
        if (reason != null && reason.length() > 1000) {
            throw new InvalidRequestException("reason", "The reason must be at most 1000 characters");
        }
    }

    String reason() {
        return reason == null || reason.isBlank() ? null : reason.strip();
    }
}
