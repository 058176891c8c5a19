package dev.mellon.migrator.api;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /migrations/rebase}. */
@Schema(name = "RebaseRequest")
public class RebaseRequest {

    @Schema(description = "The journal entry to move after the other branch", required = true)
    public String tag;

    @Schema(description = "Plan only: return the files without writing them", defaultValue = "false")
    public Boolean dryRun;

    @com.fasterxml.jackson.annotation.JsonIgnore
    private final java.util.List<String> unknownFields = new java.util.ArrayList<>();

    @JsonAnySetter
    void unknown(String name, Object value) {
        unknownFields.add(name);
    }

    void refuseUnknownFields() {
        if (!unknownFields.isEmpty()) {
            throw new InvalidRequestException(unknownFields.get(0), "Unknown field \"" + unknownFields.get(0)
                    + "\"; the fields are tag, dryRun");
        }
    }
}
