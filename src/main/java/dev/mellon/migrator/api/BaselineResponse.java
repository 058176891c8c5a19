package dev.mellon.migrator.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.UUID;

/** What a baseline recorded. */
@Schema(name = "BaselineResponse")
public record BaselineResponse(
        @Schema(description = "The audit run id") UUID runId,
        String to,
        @Schema(description = "The entries recorded as applied now (those applied before are left as they were)") List<String> marked,
        @Schema(description = "How the schema was compared: replay (with the history's SQL up to to, replayed in a sandbox), else canonical or textual with to's snapshot") String comparison) {
}
