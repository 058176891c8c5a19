package dev.mellon.migrator.api;

import dev.mellon.migrator.web.StrictBody;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /migrations/rebase}. */
@Schema(name = "RebaseRequest")
public class RebaseRequest extends StrictBody {

    @Schema(description = "The journal entry to move after the other branch", required = true)
    public String tag;

    @Schema(description = "Plan only: return the files without writing them", defaultValue = "false")
    public Boolean dryRun;
}
