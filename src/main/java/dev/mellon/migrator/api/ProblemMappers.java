package dev.mellon.migrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.mellon.migrator.diff.InvalidRenameException;
import dev.mellon.migrator.engine.ConnectionLostException;
import dev.mellon.migrator.engine.DataLossRefusedException;
import dev.mellon.migrator.engine.TooManyWaitersException;
import dev.mellon.migrator.engine.GenerateRefusedException;
import dev.mellon.migrator.engine.InvalidSchemaSqlException;
import dev.mellon.migrator.engine.ShadowUnavailableException;
import dev.mellon.migrator.engine.RebaseRefusedException;
import dev.mellon.migrator.engine.SnapshotConflictException;
import dev.mellon.migrator.folder.FolderChangedException;
import dev.mellon.migrator.folder.FolderNotWritableException;
import java.util.List;
import dev.mellon.migrator.engine.ApplyRefusedException;
import dev.mellon.migrator.engine.DatabaseUnavailableException;
import dev.mellon.migrator.engine.InsufficientPrivilegeException;
import dev.mellon.migrator.engine.LockNotAcquiredException;
import dev.mellon.migrator.engine.MigrationFailedException;
import dev.mellon.migrator.engine.MigrationStatus;
import dev.mellon.migrator.engine.UnknownMigrationException;
import dev.mellon.migrator.folder.FolderException;
import dev.mellon.migrator.schema.SnapshotException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Maps every failure to a problem document: 4xx where the caller or the folder is at fault, never a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response folder(FolderException e) {
        return switch (e.kind()) {
            // From a request path it is the caller's mistake; from the journal, the folder's.
            case TAG_INVALID -> new Problem("invalid-tag", "Invalid migration tag", e.file() == null ? 400 : 422, e.getMessage())
                    .with("file", e.file()).with("field", e.field()).toResponse();
            case FOLDER_MISSING -> new Problem("folder-missing", "Migration folder missing", 422, e.getMessage()).toResponse();
            case JOURNAL_MISSING -> new Problem("journal-missing", "Journal missing", 422, e.getMessage())
                    .with("file", e.file()).toResponse();
            case JOURNAL_INVALID -> new Problem("journal-invalid", "Journal invalid", 422, e.getMessage())
                    .with("file", e.file()).with("field", e.field()).toResponse();
            case FILE_MISSING -> new Problem("migration-file-missing", "Migration file missing", 422, e.getMessage())
                    .with("file", e.file()).toResponse();
            case FILE_INVALID -> new Problem("migration-file-invalid", "Migration file invalid", 422, e.getMessage())
                    .with("file", e.file()).toResponse();
        };
    }

    @ServerExceptionMapper
    public Response refused(ApplyRefusedException e) {
        boolean changed = e.reason() == ApplyRefusedException.Reason.CHANGED;
        List<Map<String, Object>> entries = e.offending().stream().map(ProblemMappers::describe).toList();
        return new Problem(changed ? "migration-changed" : "migration-out-of-order",
                changed ? "Applied migrations were changed" : "Migrations out of order", 409, e.getMessage())
                .with("migrations", entries)
                .with("allowWith", changed ? "allowChanged" : "allowOutOfOrder")
                .toResponse();
    }

    private static Map<String, Object> describe(MigrationStatus status) {
        Map<String, Object> entry = new java.util.LinkedHashMap<>();
        entry.put("tag", status.tag());
        entry.put("when", status.migration().when());
        entry.put("hash", status.migration().hash());
        if (status.row() != null) {
            entry.put("recordedHash", status.row().hash());
        }
        return entry;
    }

    @ServerExceptionMapper
    public Response lock(LockNotAcquiredException e) {
        return new Problem("lock-timeout", "Migration lock not acquired", 409, e.getMessage())
                .with("waitedMillis", e.waitedMillis())
                .with("lock", e.lock())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response failed(MigrationFailedException e) {
        String kind = e.notAllowedInTransaction() ? "statement-not-allowed-in-transaction" : "migration-failed";
        String detail = e.getMessage() + (e.notAllowedInTransaction()
                ? ". PostgreSQL runs this statement only outside a transaction block" : "");
        return new Problem(kind, "Migration failed", 422, detail)
                .with("tag", e.tag())
                .with("file", e.tag() + ".sql")
                .with("statementIndex", e.statementIndex())
                .with("statement", e.statementFirstLine())
                .with("sqlState", e.sqlState())
                .with("serverMessage", e.serverMessage())
                .with("position", e.position())
                .with("serverDetail", e.detail())
                .with("hint", e.hint())
                .with("committed", e.committed())
                .with("rolledBack", e.rolledBack())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response unknown(UnknownMigrationException e) {
        if (e.field() != null) {
            return new Problem("invalid-request", "Invalid request", 400, e.getMessage())
                    .with("field", e.field()).with("tag", e.tag()).toResponse();
        }
        return new Problem("migration-not-found", "Migration not found", 404, e.getMessage()).with("tag", e.tag()).toResponse();
    }

    @ServerExceptionMapper
    public Response unavailable(DatabaseUnavailableException e) {
        LOG.warn(e.getMessage());
        return new Problem("database-unavailable", "Database unavailable", 503, e.getMessage())
                .with("sqlState", e.sqlState()).toResponse();
    }

    @ServerExceptionMapper
    public Response privilege(InsufficientPrivilegeException e) {
        return new Problem("database-permission-denied", "Database permission denied", 403, e.getMessage())
                .with("sqlState", "42501").toResponse();
    }

    /** A snapshot of the folder is the deployment's problem (422); one in the request body is the caller's (400). */
    @ServerExceptionMapper
    public Response snapshot(SnapshotException e) {
        boolean inFolder = e.file() != null && e.file().startsWith("meta/");
        return new Problem("snapshot-invalid", "Snapshot invalid", inFolder ? 422 : 400, e.getMessage())
                .with("file", inFolder ? e.file() : null).with("field", inFolder ? e.pointer() : "snapshot" + e.pointer())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response conflict(SnapshotConflictException e) {
        return new Problem("snapshot-conflict", "Two migrations share a parent", 409, e.getMessage())
                .with("snapshots", List.of("meta/" + e.first(), "meta/" + e.second())).with("parentId", e.parentId()).toResponse();
    }

    @ServerExceptionMapper
    public Response refusedRequest(GenerateRefusedException e) {
        return switch (e.reason()) {
            case DISABLED -> new Problem("operation-disabled", "Operation disabled", 403, e.getMessage()).toResponse();
            case UNSAFE -> new Problem("operation-unsafe", "Refused as unsafe", 409, e.getMessage()).toResponse();
            case INVALID_REQUEST -> new Problem("invalid-request", "Invalid request", 400, e.getMessage()).toResponse();
        };
    }

    @ServerExceptionMapper
    public Response rename(InvalidRenameException e) {
        return new Problem("invalid-rename", "Invalid rename hint", 400, e.getMessage()).with("field", "renames").toResponse();
    }

    @ServerExceptionMapper
    public Response schemaSql(InvalidSchemaSqlException e) {
        return new Problem("schema-sql-refused", "The schema SQL was refused", 422, e.getMessage())
                .with("sqlState", e.sqlState()).with("line", e.line()).with("column", e.column())
                .with("serverMessage", e.serverMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response rebase(RebaseRefusedException e) {
        return new Problem("rebase-refused", "Rebase refused", 409, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response folderChanged(FolderChangedException e) {
        return new Problem("folder-changed", "The folder changed", 409, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response folderNotWritable(FolderNotWritableException e) {
        return new Problem("folder-not-writable", "The folder cannot be written", 409, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response dataLoss(DataLossRefusedException e) {
        return new Problem("data-loss-refused", "The push would delete data", 409, e.getMessage())
                .with("objects", e.objects()).with("hazards", PlanViews.hazards(e.hazards())).toResponse();
    }

    @ServerExceptionMapper
    public Response shadow(ShadowUnavailableException e) {
        return new Problem("shadow-database-unavailable", "No shadow database", 503, e.getMessage()).toResponse();
    }

    /**
     * The apply's connection broke mid-migration. 503, since the database (or the path to it) failed, not the
     * request; the outcome read back afterwards says what a retry would still have to do.
     */
    @ServerExceptionMapper
    public Response connectionLost(ConnectionLostException e) {
        LOG.warn(e.getMessage());
        Problem problem = e.observed()
                ? new Problem("connection-lost", "Connection lost during the apply", 503, e.getMessage())
                : new Problem("outcome-unknown", "Connection lost; outcome unknown", 503, e.getMessage());
        problem.with("tag", e.tag())
                .with("statementIndex", e.statementIndex())
                .with("statement", e.statementFirstLine())
                .with("sqlState", e.sqlState())
                .with("observed", e.observed())
                .with("committed", e.committed())
                .with("rolledBack", e.rolledBack())
                .with("unknown", e.unknown().isEmpty() ? null : e.unknown());
        return retryAfter(problem, 5);
    }

    @ServerExceptionMapper
    public Response tooManyWaiters(TooManyWaitersException e) {
        return retryAfter(new Problem("too-many-waiters", "Too many callers waiting", 429, e.getMessage())
                .with("maxWaiters", e.maxWaiters()), 5);
    }

    private static Response retryAfter(Problem problem, int seconds) {
        return Response.fromResponse(problem.toResponse()).header("Retry-After", Integer.toString(seconds)).build();
    }

    @ServerExceptionMapper
    public Response invalid(InvalidRequestException e) {
        return new Problem("invalid-request", "Invalid request", 400, e.getMessage()).with("field", e.field()).toResponse();
    }

    /** Quarkus maps this subtype itself (with an empty body) unless a mapper names it exactly. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        String field = null;
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            field = mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
        }
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return new Problem("invalid-request", "Invalid request body", 400,
                "The request body is not valid JSON for this operation" + where + ": " + e.getOriginalMessage())
                .with("field", field).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return new Problem(status == 404 ? "not-found" : "http-" + status, title, status, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("Unexpected failure", e);
        return new Problem("internal-error", "Internal error", 500,
                "An unexpected error occurred (" + e.getClass().getSimpleName() + "); the server log has the details")
                .toResponse();
    }
}
