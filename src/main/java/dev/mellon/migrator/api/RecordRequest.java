package dev.mellon.migrator.api;

import dev.mellon.migrator.web.StrictBody;

import dev.mellon.migrator.web.InvalidRequestException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code mark-applied} and {@code accept-change}: why, for the audit trail. */
@Schema(name = "RecordRequest")
public class RecordRequest extends StrictBody {

    @Schema(description = "Why this is recorded by hand; kept in the audit table", required = true,
            example = "Applied by hand during incident 4711")
    public String reason;

    @Schema(description = "How long to wait for a running apply's lock, as an ISO-8601 duration", example = "PT30S")
    public String wait;

    /** The reason, required and bounded. */
    String reason() {
        refuseUnknownFields("reason, wait");
        if (reason == null || reason.isBlank()) {
            throw new InvalidRequestException("reason", "Say why, in \"reason\": it is kept in the audit table");
        }
        if (reason.length() > 1000) {
            throw new InvalidRequestException("reason", "The reason must be at most 1000 characters");
        }
        return reason.strip();
    }
}
