package dev.mellon.migrator.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.TrackingRow;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

/** One journal entry as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Migration")
public record MigrationView(
        @Schema(description = "The journal tag; the file is <tag>.sql") String tag,
        @Schema(description = "The journal idx") int idx,
        @Schema(description = "The journal when (ms since 1970), stored by drizzle as created_at") long when,
        @Schema(description = "SHA-256 of the file, as drizzle computes it") String hash,
        @Schema(description = "applied, pending, changed, out-of-order, moved (its SQL was applied under another "
                + "created_at), ambiguous (rows cannot be assigned to entries uniquely) or interrupted (a run stopped "
                + "part-way through it outside a transaction; resume goes on)",
                enumeration = {"applied", "pending", "changed", "out-of-order", "moved", "ambiguous", "interrupted"}) String status,
        @Schema(description = "When this service applied it; absent when another tool did") OffsetDateTime appliedAt,
        @Schema(description = "The hash in the tracking row, when it differs from the file's") String recordedHash,
        @Schema(description = "For moved: the created_at its SQL was recorded under (absent when NULL)") Long recordedCreatedAt,
        @Schema(description = "For ambiguous: the tracking rows it might own") List<TrackingRow> candidateRows,
        @Schema(description = "Number of chunks between statement-breakpoint markers") int statements,
        @Schema(description = "True when the file runs BEGIN/COMMIT itself") Boolean managesOwnTransaction,
        @Schema(description = "For interrupted: how many of its statements are done") Integer statementsDone,
        @Schema(description = "For interrupted: how many statements it runs in its mode (top-level statements, or "
                + "chunks for a self-managed file)") Integer statementsTotal,
        @Schema(description = "In the history: who applied it through this service (a token's name and the instance)")
        String appliedBy,
        @Schema(description = "In the history: how long its statements took when this service applied it") Long durationMillis) {

    public static MigrationView of(MigrationStatus status) {
        return of(status, null);
    }

    public static MigrationView of(MigrationStatus status, dev.mellon.migrator.engine.history.AuditDetail audit) {
        var m = status.migration();
        String recorded = status.row() != null && !status.row().hash().equals(m.hash()) ? status.row().hash() : null;
        Long recordedCreatedAt = status.state() == MigrationState.MOVED ? status.row().createdAt() : null;
        List<TrackingRow> candidates = status.state() == MigrationState.AMBIGUOUS ? status.candidateRows() : null;
        return new MigrationView(m.tag(), m.idx(), m.when(), m.hash(), wire(status.state().name()), status.appliedAt(),
                recorded, recordedCreatedAt, candidates, m.statements().size(), m.managesOwnTransaction() ? Boolean.TRUE : null,
                status.progress() == null ? null : status.progress().statementsDone(),
                status.progress() == null ? null : status.progress().statementsTotal(),
                audit == null ? null : audit.appliedBy(), audit == null ? null : audit.durationMillis());
    }

    public static String wire(String enumName) {
        return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
