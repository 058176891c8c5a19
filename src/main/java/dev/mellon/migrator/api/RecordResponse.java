package dev.mellon.migrator.api;

import dev.mellon.migrator.engine.edit.HistoryRecorder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Locale;
import java.util.UUID;

/** What {@code mark-applied} or {@code accept-change} recorded. */
@Schema(name = "RecordResponse")
public record RecordResponse(
        @Schema(description = "The audit run id") UUID runId,
        String tag,
        @Schema(description = "marked-applied or accepted-change, as in the audit table") String action,
        @Schema(description = "The entry's status before") String before,
        @Schema(description = "The entry's status now") String after) {

    static RecordResponse of(HistoryRecorder.Recorded recorded) {
        return new RecordResponse(recorded.runId(), recorded.tag(), recorded.action(), wire(recorded.before().name()),
                wire(recorded.after().name()));
    }

    private static String wire(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
