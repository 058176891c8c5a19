package dev.mellon.migrator.api;

import dev.mellon.migrator.web.StrictBody;

import dev.mellon.migrator.web.InvalidRequestException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /migrations/baseline}. */
@Schema(name = "BaselineRequest")
public class BaselineRequest extends StrictBody {

    @Schema(description = "The last entry the existing database already has; it and every entry before it are recorded",
            required = true, example = "0007_orders")
    public String to;

    @Schema(description = "Why, for the audit table", required = true, example = "Adopting the production database")
    public String reason;

    @Schema(description = "How long to wait for a running apply's lock, as an ISO-8601 duration", example = "PT30S")
    public String wait;

    String to() {
        refuseUnknownFields("to, reason, wait");
        if (to == null || to.isBlank()) {
            throw new InvalidRequestException("to", "Name the last entry the database already has, in \"to\"");
        }
        return to;
    }

    String reason() {
        if (reason == null || reason.isBlank()) {
            throw new InvalidRequestException("reason", "Say why, in \"reason\": it is kept in the audit table");
        }
        if (reason.length() > 1000) {
            throw new InvalidRequestException("reason", "The reason must be at most 1000 characters");
        }
        return reason.strip();
    }
}
