package dev.mellon.migrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mellon.migrator.engine.history.RunStore;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A page of apply runs, newest first. */
@Schema(name = "RunsResponse")
public record RunsResponse(
        List<Run> runs,
        @Schema(description = "Pass as `before` for the next (older) page; absent on the last page") Long nextBefore) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ApplyRun")
    public record Run(
            @Schema(description = "Keyset for paging: later runs have larger ids") long id,
            @Schema(description = "As in the apply reply and the audit rows") UUID runId,
            OffsetDateTime startedAt,
            OffsetDateTime finishedAt,
            @Schema(description = "applied, up-to-date, failed, refused, lock-timeout, connection-lost or error") String outcome,
            @Schema(description = "The caller (token name) and the instance") String appliedBy,
            String clientAddress,
            @Schema(description = "The X-Request-Source header") String requestSource,
            @Schema(description = "The X-Git-Commit header") String gitCommit,
            String transaction,
            @Schema(description = "The tags the run planned to apply, in order (empty when it stopped before planning)") List<String> planned,
            @Schema(description = "The tags it committed") List<String> applied,
            Failure failure) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "ApplyRunFailure")
    public record Failure(
            @Schema(description = "The problem type: migration-failed, migration-timed-out, migration-changed, lock-timeout, connection-lost, …")
            String type,
            String tag,
            @Schema(description = "The failing statement's first line") String statement,
            String sqlState,
            String message) {
    }

    static RunsResponse of(RunStore.Page page) {
        return new RunsResponse(page.runs().stream().map(r -> new Run(r.id(), r.runId(), r.startedAt(), r.finishedAt(), r.outcome(),
                r.appliedBy(), r.clientAddress(), r.requestSource(), r.gitCommit(), r.transactionMode(), r.planned(), r.applied(),
                r.failure() == null ? null : new Failure(r.failure().type(), r.failure().tag(), r.failure().statement(),
                        r.failure().sqlState(), r.failure().message()))).toList(), page.nextBefore());
    }
}
