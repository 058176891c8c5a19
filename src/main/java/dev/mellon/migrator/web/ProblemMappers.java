package dev.mellon.migrator.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.mellon.migrator.web.security.Disclosure;
import dev.mellon.migrator.diff.InvalidRenameException;
import dev.mellon.migrator.engine.apply.ApplyRefusedException;
import dev.mellon.migrator.engine.apply.ConnectionLostException;
import dev.mellon.migrator.engine.core.DataLossRefusedException;
import dev.mellon.migrator.engine.core.DatabaseUnavailableException;
import dev.mellon.migrator.engine.apply.FailureKind;
import dev.mellon.migrator.engine.history.TrackingUpgradeRefusedException;
import dev.mellon.migrator.engine.schema.GenerateRefusedException;
import dev.mellon.migrator.engine.core.InsufficientPrivilegeException;
import dev.mellon.migrator.engine.lock.LockNotAcquiredException;
import dev.mellon.migrator.engine.apply.MigrationFailedException;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.generate.RebaseRefusedException;
import dev.mellon.migrator.engine.generate.UnprovenMigrationException;
import dev.mellon.migrator.engine.schema.Verification;
import dev.mellon.migrator.engine.generate.SnapshotConflictException;
import dev.mellon.migrator.engine.lock.TooManyWaitersException;
import dev.mellon.migrator.engine.core.UnknownMigrationException;
import dev.mellon.migrator.engine.sandbox.SandboxBusyException;
import dev.mellon.migrator.engine.schema.InvalidSourceException;
import dev.mellon.migrator.engine.sandbox.SandboxStatementException;
import dev.mellon.migrator.engine.sandbox.SandboxUnavailableException;
import dev.mellon.migrator.folder.FolderChangedException;
import dev.mellon.migrator.folder.FolderException;
import dev.mellon.migrator.folder.FolderNotWritableException;
import dev.mellon.migrator.schema.SnapshotException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Maps every failure to a problem document: 4xx where the caller or the folder is at fault, never a stack trace. */
public class ProblemMappers {

    /** How long a caller refused for a busy or restarting resource should wait, in seconds. */
    public static final String RETRY_AFTER_SECONDS = "5";
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    Disclosure disclosure;

    @ServerExceptionMapper
    public Response folder(FolderException e) {
        Problem problem = switch (e.kind()) {
            // From a request path it is the caller's mistake; from the journal, the folder's.
            case TAG_INVALID -> new Problem("invalid-tag", "Invalid migration tag", e.file() == null ? 400 : 422, e.getMessage())
                    .with("file", e.file()).with("field", e.field());
            case FOLDER_MISSING -> new Problem("folder-missing", "Migration folder missing", 422, e.getMessage());
            case JOURNAL_MISSING -> new Problem("journal-missing", "Journal missing", 422, e.getMessage())
                    .with("file", e.file());
            case JOURNAL_INVALID -> new Problem("journal-invalid", "Journal invalid", 422, e.getMessage())
                    .with("file", e.file()).with("field", e.field());
            case FILE_MISSING -> new Problem("migration-file-missing", "Migration file missing", 422, e.getMessage())
                    .with("file", e.file());
            case FILE_INVALID -> new Problem("migration-file-invalid", "Migration file invalid", 422, e.getMessage())
                    .with("file", e.file());
        };
        // Where the folder is on the server is for its operators: admins and the log.
        if (e.folderPath() != null) {
            problem = internal(problem, "folderPath", e.folderPath(), e.getMessage());
        }
        return problem.toResponse();
    }

    @ServerExceptionMapper
    public Response refused(ApplyRefusedException e) {
        List<Map<String, Object>> entries = e.offending().stream().map(ProblemMappers::describe).toList();
        return new Problem(e.reason().wireName(), refusalTitle(e.reason()), FailureKind.APPLY_REFUSED.httpStatus(), e.getMessage())
                .with("migrations", entries)
                .with("highWaterMark", e.highWaterMark())
                .with("allowWith", refusalFlag(e.reason()))
                .toResponse();
    }

    private static String refusalTitle(ApplyRefusedException.Reason reason) {
        return switch (reason) {
            case CHANGED -> "Applied migrations were changed";
            case OUT_OF_ORDER -> "Migrations out of order";
            case MOVED -> "Migrations applied before under another created_at";
            case AMBIGUOUS -> "Tracking rows cannot be assigned to migrations";
            case STRANDED -> "The run would strand migrations below the high-water mark";
            case INTERRUPTED -> "Migrations were interrupted part-way";
            case NOTHING_TO_RESUME -> "Nothing to resume";
        };
    }

    /** The request flag that allows the refused case; {@code null} (left out) when none does. */
    private static String refusalFlag(ApplyRefusedException.Reason reason) {
        return switch (reason) {
            case CHANGED -> "allowChanged";
            case OUT_OF_ORDER, STRANDED -> "allowOutOfOrder";
            case MOVED -> "allowMoved";
            case INTERRUPTED -> "resume";
            case AMBIGUOUS, NOTHING_TO_RESUME -> null;
        };
    }

    private static Map<String, Object> describe(MigrationStatus status) {
        Map<String, Object> entry = new java.util.LinkedHashMap<>();
        entry.put("tag", status.tag());
        entry.put("when", status.migration().when());
        entry.put("hash", status.migration().hash());
        if (status.state() == dev.mellon.migrator.engine.history.MigrationState.AMBIGUOUS) {
            entry.put("rows", status.candidateRows());
        } else if (status.state() == dev.mellon.migrator.engine.history.MigrationState.MOVED) {
            entry.put("recordedCreatedAt", status.row().createdAt());
        } else if (status.row() != null) {
            entry.put("recordedHash", status.row().hash());
        }
        if (status.progress() != null) {
            entry.put("statementsDone", status.progress().statementsDone());
            entry.put("statementsTotal", status.progress().statementsTotal());
            entry.put("mode", status.progress().mode().wireName());
            entry.put("startedAt", status.progress().startedAt());
        }
        return entry;
    }

    @ServerExceptionMapper
    public Response lock(LockNotAcquiredException e) {
        return new Problem(FailureKind.LOCK_TIMEOUT.wireName(), "Migration lock not acquired", FailureKind.LOCK_TIMEOUT.httpStatus(),
                e.getMessage())
                .with("waitedMillis", e.waitedMillis())
                .with("lock", disclosure.internalsVisible() ? e.lock() : e.lock().withoutQueries())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response failed(MigrationFailedException e) {
        FailureKind kind = FailureKind.of(e);
        StringBuilder detail = new StringBuilder(e.getMessage());
        if (e.notAllowedInTransaction()) {
            detail.append(". PostgreSQL runs this statement only outside a transaction block");
        }
        boolean internals = disclosure.internalsVisible();
        if (!e.blockers().isEmpty()) {
            detail.append(". Blocked by ").append(String.join("; ", e.blockers().stream()
                    .map(b -> "pid " + b.pid() + " (" + (b.applicationName() == null || b.applicationName().isEmpty()
                            ? "no application name" : b.applicationName()) + ", " + b.state()
                            + (b.transactionAgeMillis() == null ? "" : ", transaction open " + b.transactionAgeMillis() + " ms")
                            + (internals && b.query() != null ? ": " + b.query() : "") + ")")
                    .toList()));
        }
        if (e.partial() != null) {
            detail.append(". \"").append(e.partial().tag()).append("\" ran outside a transaction: ")
                    .append(e.partial().statementsDone()).append(" of ").append(e.partial().statementsTotal())
                    .append(" statements stay done; fix the failing one and apply with resume=true to go on from there");
        }
        Problem problem = new Problem(kind.wireName(), e.timedOut() ? "Migration timed out" : "Migration failed", kind.httpStatus(),
                detail.toString())
                .with("tag", e.tag())
                .with("file", e.file())
                .with("statementIndex", e.statementIndex())
                .with("statement", e.statementFirstLine())
                .with("sqlState", e.sqlState())
                .with("serverMessage", e.serverMessage())
                .with("position", e.position())
                .with("hint", e.hint())
                .with("committed", e.committed())
                .with("rolledBack", e.rolledBack())
                .with("stranded", e.stranded().isEmpty() ? null : e.stranded())
                .with("interrupted", e.partial())
                .with("blockers", e.blockers().isEmpty() ? null : internals ? e.blockers()
                        : e.blockers().stream().map(dev.mellon.migrator.engine.apply.BlockingSession::withoutQuery).toList());
        // The server's detail may quote row values (a duplicate key, a failing row): admins only, always in the log.
        return internal(problem, "serverDetail", e.detail(), detail.toString()).toResponse();
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
        // The driver's message names hosts, ports and users: admins see it, everyone sees the SQLSTATE and an id.
        Problem problem = new Problem("database-unavailable", "Database unavailable", 503,
                disclosure.internalsVisible() ? e.getMessage()
                        : "The database cannot be reached or refused the operation; retry later")
                .with("sqlState", e.sqlState());
        return withRetryAfter(internal(problem, null, null, e.getMessage()).toResponse());
    }

    @ServerExceptionMapper
    public Response privilege(InsufficientPrivilegeException e) {
        Problem problem = new Problem("database-permission-denied", "Database permission denied", 403,
                disclosure.internalsVisible() ? e.getMessage()
                        : "The service's database role lacks a privilege this operation needs")
                .with("sqlState", "42501");
        return internal(problem, null, null, e.getMessage()).toResponse();
    }

    /**
     * Puts what only admins may read into the problem, or a correlation id in its place; the full text always goes
     * to the server log under that id, so an operator can find it from a caller's report.
     */
    private Problem internal(Problem problem, String member, Object value, String logged) {
        String errorId = java.util.UUID.randomUUID().toString();
        LOG.warnf("[errorId %s] %s%s", errorId, logged, value == null ? "" : " (" + member + ": " + value + ")");
        problem.with("errorId", errorId);
        if (member != null && value != null) {
            if (disclosure.internalsVisible()) {
                problem.with(member, value);
            } else {
                problem.with("withheld", List.of(member));
            }
        }
        return problem;
    }

    private static Response withRetryAfter(Response response) {
        return Response.fromResponse(response).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
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
            case INCONSISTENT -> new Problem("schema-inconsistent", "The desired schema contradicts itself", 422, e.getMessage())
                    .toResponse();
            case FORMAT -> new Problem("folder-format-unsupported", "Not for this folder's format", 409, e.getMessage())
                    .toResponse();
        };
    }

    @ServerExceptionMapper
    public Response invalidSource(InvalidSourceException e) {
        return new Problem("invalid-request", "Invalid request", 400, e.getMessage()).with("field", e.field()).toResponse();
    }

    @ServerExceptionMapper
    public Response rename(InvalidRenameException e) {
        return new Problem("invalid-rename", "Invalid rename hint", 400, e.getMessage()).with("field", "renames").toResponse();
    }

    /**
     * Schema text a sandbox refused or PostgreSQL failed there: the caller's to fix (422). Where it is, always; what
     * the server said, only to admins, since the message can quote what the statement read.
     */
    @ServerExceptionMapper
    public Response sandboxStatement(SandboxStatementException e) {
        boolean submitted = e.line() != null;
        String type = submitted ? "schema-sql-refused" : "schema-refused";
        String title = submitted ? "The schema SQL was refused" : "The schema could not be built in a sandbox";
        Problem problem = new Problem(type, title, 422, e.getMessage())
                .with("statementIndex", e.statementIndex()).with("statement", e.statementFirstLine())
                .with("sqlState", e.sqlState()).with("line", e.line()).with("column", e.column()).with("errorId", e.errorId());
        if (e.serverMessage() != null) {
            if (disclosure.internalsVisible()) {
                problem.with("serverMessage", e.serverMessage());
            } else {
                problem.with("withheld", List.of("serverMessage"));
            }
        }
        return problem.toResponse();
    }

    /**
     * A generated migration that failed its proof on a replay of the folder: where it failed (the statement, its
     * SQLSTATE and position) or what still differs, and the statements generated. PostgreSQL's own words go to admins
     * only: they can quote what the history's SQL put in the sandbox.
     */
    @ServerExceptionMapper
    public Response unproven(UnprovenMigrationException e) {
        if (e.verification() instanceof Verification.Failed f) {
            Problem problem = new Problem("generated-sql-failed", "The generated migration fails on PostgreSQL", 422, e.getMessage())
                    .with("tag", f.tag()).with("statementIndex", f.statementIndex()).with("statement", f.statement())
                    .with("sqlState", f.sqlState()).with("position", f.position()).with("hint", f.hint())
                    .with("statements", e.statements())
                    .with("verificationMillis", f.millis());
            if (f.serverMessage() != null) {
                if (disclosure.internalsVisible()) {
                    problem.with("serverMessage", f.serverMessage());
                } else {
                    problem.with("withheld", List.of("serverMessage"));
                }
            }
            return problem.toResponse();
        }
        Verification.Incomplete i = (Verification.Incomplete) e.verification();
        return new Problem("generated-sql-incomplete", "The generated migration falls short of the desired schema", 422,
                e.getMessage()).with("differences", i.remaining()).with("statements", e.statements())
                .with("verificationMillis", i.millis()).toResponse();
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
        return new Problem(FailureKind.DATA_LOSS_REFUSED.wireName(), "The push would delete data",
                FailureKind.DATA_LOSS_REFUSED.httpStatus(), e.getMessage())
                .with("objects", e.objects()).with("hazards", PlanViews.hazards(e.hazards())).with("allowWith", "acceptDataLoss")
                .toResponse();
    }

    @ServerExceptionMapper
    public Response trackingUpgradeRefused(TrackingUpgradeRefusedException e) {
        FailureKind kind = FailureKind.TRACKING_UPGRADE_REFUSED;
        return new Problem(kind.wireName(), "The tracking table cannot be upgraded", kind.httpStatus(), e.getMessage())
                .with("unmatchedRows", rowIds(e.unmatched())).with("ambiguousRows", rowIds(e.ambiguous()))
                .toResponse();
    }

    private static List<Long> rowIds(List<dev.mellon.migrator.engine.history.TrackingRow> rows) {
        return rows.stream().map(dev.mellon.migrator.engine.history.TrackingRow::id).toList();
    }

    /** No sandbox can be had: the deployment's to fix (503); why, only for admins and in the log. */
    @ServerExceptionMapper
    public Response sandboxUnavailable(SandboxUnavailableException e) {
        return internal(new Problem("sandbox-unavailable", "No sandbox", 503, "No sandbox can be had for this request; "
                + "an administrator can read why in the problem (as admin) or in the server log"), "reason", e.getMessage(),
                "No sandbox: " + e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response sandboxBusy(SandboxBusyException e) {
        return Response.fromResponse(new Problem("sandbox-busy", "All sandboxes are in use", 429, e.getMessage()).toResponse())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds()))).build();
    }

    /**
     * The apply's connection broke mid-migration. 503, since the database (or the path to it) failed, not the
     * request; the outcome read back afterwards says what a retry would still have to do.
     */
    @ServerExceptionMapper
    public Response connectionLost(ConnectionLostException e) {
        // The driver's reason can name the host; callers other than admins get the observed outcome without it.
        String detail = disclosure.internalsVisible() ? e.getMessage()
                : "The database connection was lost during \"" + e.tag() + "\" (statement " + e.statementIndex() + "); "
                + (e.observed() ? "the tracking table was read back afterwards: committed " + e.committed()
                + ", rolled back " + e.rolledBack() + (e.unknown().isEmpty() ? "" : ", unknown " + e.unknown())
                : "the outcome could not be read back; check GET /migrations before retrying");
        FailureKind kind = FailureKind.of(e);
        Problem problem = new Problem(kind.wireName(), e.observed() ? "Connection lost during the apply"
                : "Connection lost; outcome unknown", kind.httpStatus(), detail);
        problem.with("tag", e.tag())
                .with("statementIndex", e.statementIndex())
                .with("statement", e.statementFirstLine())
                .with("sqlState", e.sqlState())
                .with("observed", e.observed())
                .with("committed", e.committed())
                .with("rolledBack", e.rolledBack())
                .with("unknown", e.unknown().isEmpty() ? null : e.unknown());
        return withRetryAfter(internal(problem, null, null, e.getMessage()).toResponse());
    }

    @ServerExceptionMapper
    public Response tooManyWaiters(TooManyWaitersException e) {
        return withRetryAfter(new Problem(FailureKind.TOO_MANY_WAITERS.wireName(), "Too many callers waiting",
                FailureKind.TOO_MANY_WAITERS.httpStatus(), e.getMessage())
                .with("maxWaiters", e.maxWaiters()).toResponse());
    }

    @ServerExceptionMapper
    public Response pooled(dev.mellon.migrator.engine.lock.PooledSessionException e) {
        return new Problem("pooled-session", "The apply session is pooled", 503, e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response baselineMismatch(dev.mellon.migrator.engine.edit.BaselineMismatchException e) {
        return new Problem("baseline-mismatch", "The database does not match the baseline", 409, e.getMessage())
                .with("to", e.to()).with("comparison", e.comparison()).with("differences", e.differences()).toResponse();
    }

    @ServerExceptionMapper
    public Response gateTimeout(GateTimeoutException e) {
        GateResponse state = GateResponse.of(e.outcome());
        return new Problem("version-not-reached", "Version not reached", 408, e.getMessage())
                .with("tag", state.tag()).with("status", state.status()).with("waitedMillis", state.waitedMillis())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response historyEditRefused(dev.mellon.migrator.engine.edit.HistoryEditRefusedException e) {
        return new Problem("history-edit-refused", "Refused", 409, e.getMessage())
                .with("tag", e.tag()).with("status", e.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                .toResponse();
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
    public Response unexpected(Throwable e) {
        String errorId = java.util.UUID.randomUUID().toString();
        LOG.errorf(e, "[errorId %s] Unexpected failure", errorId);
        return new Problem(FailureKind.ERROR.wireName(), "Internal error", FailureKind.ERROR.httpStatus(),
                "An unexpected error occurred; the server log has the details under errorId " + errorId)
                .with("errorId", errorId).toResponse();
    }

    @ServerExceptionMapper
    public Response noDown(dev.mellon.migrator.engine.rollback.NoDownMigrationException e) {
        return new Problem("no-down-migration", "No down migration", 422, e.getMessage()).with("tag", e.tag()).toResponse();
    }

    @ServerExceptionMapper
    public Response rollbackRefused(dev.mellon.migrator.engine.rollback.RollbackRefusedException e) {
        return new Problem("rollback-refused", "Rollback refused", 409, e.getMessage())
                .with("reason", e.reason().wireName())
                .with("tags", e.tags())
                .with("hazards", e.hazards().isEmpty() ? null : PlanViews.hazards(e.hazards()))
                .with("allowWith", e.reason() == dev.mellon.migrator.engine.rollback.RollbackRefusedException.Reason.DATA_LOSS ? "acceptDataLoss" : null)
                .toResponse();
    }
}
