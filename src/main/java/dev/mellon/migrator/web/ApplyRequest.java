package dev.mellon.migrator.web;

import dev.mellon.migrator.engine.apply.ApplyOptions;
import dev.mellon.migrator.engine.core.TransactionMode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;

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

    @Schema(description = "Apply entries that drizzle's high-water mark would skip forever, and let a run (with `to`) "
            + "leave entries below the mark it raises", defaultValue = "false")
    public Boolean allowOutOfOrder;

    @Schema(description = "Go on although applied files were edited; the edit is recorded in the audit table",
            defaultValue = "false")
    public Boolean allowChanged;

    @Schema(description = "Run entries whose SQL was applied before under another created_at (the journal's when was "
            + "edited, or a reverted file was added again), as drizzle would; the row is written with the entry's when",
            defaultValue = "false")
    public Boolean allowMoved;

    @Schema(description = "Continue migrations a run left interrupted outside a transaction from the statement after "
            + "the last one done (fix the failing statement first)", defaultValue = "false")
    public Boolean resume;

    @Schema(description = "lock_timeout for each statement, as an ISO-8601 duration: a DDL statement waiting longer "
            + "for another session's lock fails, naming the blocking sessions. PT0S waits forever", example = "PT5S")
    public String lockTimeout;

    @Schema(description = "Before running anything, drop each INVALID index a failed concurrent build left (concurrently) "
            + "and build it again from its definition", defaultValue = "false")
    public Boolean rebuildInvalid;

    @Schema(description = "How many times to start again, after a jittered pause, when a statement fails on its lock "
            + "timeout (0 to 10); the history is read afresh before each attempt", defaultValue = "0")
    public Integer lockRetries;

    @Schema(description = "statement_timeout for each statement, as an ISO-8601 duration; PT0S for none", example = "PT10M")
    public String statementTimeout;

    public static final String SAFETY_OVERRIDES = "allowOutOfOrder, allowChanged, allowMoved";

    /** Whether the request overrides a safety check of the history, which only an admin may do. */
    public boolean overridesSafety() {
        return Boolean.TRUE.equals(allowOutOfOrder) || Boolean.TRUE.equals(allowChanged) || Boolean.TRUE.equals(allowMoved);
    }

    /** The engine's options: this request's fields over the configured defaults, {@code wait} at most {@code maxWait}. */
    public ApplyOptions toOptions(Duration defaultWait, Duration maxWait, TransactionMode defaultMode) {
        return toOptions(defaultWait, maxWait, defaultMode, ApplyOptions.Timeouts.SERVER_DEFAULTS, Duration.ofDays(1));
    }

    /** @param defaults the configured lock and statement timeouts; a request may ask for at most {@code maxTimeout} */
    public ApplyOptions toOptions(Duration defaultWait, Duration maxWait, TransactionMode defaultMode,
                           ApplyOptions.Timeouts defaults, Duration maxTimeout) {
        refuseUnknownFields("dryRun, to, wait, transaction, allowOutOfOrder, allowChanged, allowMoved, resume, lockTimeout, "
                + "statementTimeout, lockRetries, rebuildInvalid");
        if (lockRetries != null && (lockRetries < 0 || lockRetries > ApplyOptions.Timeouts.MAX_LOCK_RETRIES)) {
            throw new InvalidRequestException("lockRetries", "lockRetries must be between 0 and "
                    + ApplyOptions.Timeouts.MAX_LOCK_RETRIES + ": " + lockRetries);
        }
        Duration lockWait = DurationField.lockWait(wait, defaultWait, maxWait);
        ApplyOptions.Timeouts timeouts = new ApplyOptions.Timeouts(
                DurationField.parse("lockTimeout", lockTimeout, defaults.lock(), maxTimeout, "migrator.apply.timeout-max"),
                DurationField.parse("statementTimeout", statementTimeout, defaults.statement(), maxTimeout,
                        "migrator.apply.timeout-max"),
                lockRetries == null ? defaults.lockRetries() : lockRetries);
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
                Boolean.TRUE.equals(allowChanged), Boolean.TRUE.equals(allowMoved), Boolean.TRUE.equals(resume), timeouts,
                Boolean.TRUE.equals(rebuildInvalid));
    }
}
