package dev.mellon.migrator.web;

import dev.mellon.migrator.engine.gate.VersionGate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Locale;

/** The answer of the version gate when the database has the tag applied. */
@Schema(name = "GateResponse")
public record GateResponse(
        @Schema(description = "True: the tag is applied") boolean reached,
        @Schema(description = "The tag waited for (the folder's newest when none was named)") String tag,
        @Schema(description = "Its status") String status,
        @Schema(description = "How long the call waited") long waitedMillis) {

    public static GateResponse of(VersionGate.Outcome outcome) {
        return new GateResponse(outcome.reached(), outcome.tag(),
                outcome.state() == null ? null : outcome.state().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                outcome.waitedMillis());
    }
}
