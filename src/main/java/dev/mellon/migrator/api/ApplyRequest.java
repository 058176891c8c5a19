package dev.mellon.migrator.api;

import dev.mellon.migrator.engine.ApplyOptions;
import dev.mellon.migrator.engine.TransactionMode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** The optional body of {@code POST /migrations/apply}. Every field may be left out; unknown fields are refused. */
@Schema(name = "ApplyRequest")
public class ApplyRequest extends StrictBody {

    @Schema(description = "Plan only: report what would be applied without executing anything", defaultValue = "false")
    public Boolean dryRun;

    @Schema(description = "Apply up to and including this tag")
    public String to;

    @Schema(description = "How long to wait for another run's lock, as an ISO-8601 duration", example = "PT30S")
    public String wait;

    @Schema(description = "all: one transaction for the batch (drizzle's behaviour); each: one per migration",
            enumeration = {"all", "each"})
    public String transaction;

    @Schema(description = "Apply entries that drizzle's high-water mark would skip forever", defaultValue = "false")
    public Boolean allowOutOfOrder;

    @Schema(description = "Go on although applied files were edited; the edit is recorded in the audit table",
            defaultValue = "false")
    public Boolean allowChanged;


    /** The longest lock wait a request may ask for: beyond it a deadline in nanoseconds would overflow. */
    static final Duration MAX_WAIT = Duration.ofHours(24);

    /** A request's {@code wait}: an ISO-8601 duration from zero to {@link #MAX_WAIT}. */
    static Duration parseWait(String wait) {
        Duration parsed;
        try {
            parsed = Duration.parse(wait);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("wait", "\"" + wait + "\" is not an ISO-8601 duration such as PT30S");
        }
        if (parsed.isNegative()) {
            throw new InvalidRequestException("wait", "The wait must not be negative: " + wait);
        }
        if (parsed.compareTo(MAX_WAIT) > 0) {
            throw new InvalidRequestException("wait", "The wait must be at most PT24H: " + wait);
        }
        return parsed;
    }

    /** The engine's options: this request's fields over the configured defaults. */
    ApplyOptions toOptions(Duration defaultWait, TransactionMode defaultMode) {
        refuseUnknownFields("dryRun, to, wait, transaction, allowOutOfOrder, allowChanged");
        Duration lockWait = wait == null ? defaultWait : parseWait(wait);
        TransactionMode mode = defaultMode;
        if (transaction != null) {
            try {
                mode = TransactionMode.parse(transaction);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("transaction", e.getMessage());
            }
        }
        if (to != null && to.isBlank()) {
            throw new InvalidRequestException("to", "\"to\" must name a migration tag");
        }
        return new ApplyOptions(Boolean.TRUE.equals(dryRun), to, lockWait, mode, Boolean.TRUE.equals(allowOutOfOrder),
                Boolean.TRUE.equals(allowChanged));
    }
}
