package dev.mellon.migrator.api;

import dev.mellon.migrator.web.Problem;
import dev.mellon.migrator.web.InvalidRequestException;
import dev.mellon.migrator.web.GateTimeoutException;
import dev.mellon.migrator.web.GateResponse;
import dev.mellon.migrator.web.ApplyRequest;
import dev.mellon.migrator.web.ApplyResponse;
import dev.mellon.migrator.web.CheckResponse;
import dev.mellon.migrator.web.HistoryResponse;
import dev.mellon.migrator.web.MigrationView;
import dev.mellon.migrator.web.PendingResponse;
import dev.mellon.migrator.web.DurationField;
import dev.mellon.migrator.web.ServiceIdentity;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.web.security.Disclosure;
import dev.mellon.migrator.web.security.Role;
import dev.mellon.migrator.config.MigratorConfig;
import dev.mellon.migrator.engine.apply.ApplyOptions;
import dev.mellon.migrator.engine.apply.ApplyResult;
import dev.mellon.migrator.engine.lock.LockStatus;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.edit.Baseliner;
import dev.mellon.migrator.engine.edit.HistoryRecorder;
import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.engine.gate.VersionGate;
import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.rollback.Rollbacker;
import dev.mellon.migrator.engine.history.StatusReport;
import dev.mellon.migrator.engine.core.UnknownMigrationException;
import dev.mellon.migrator.folder.FolderReader;
import io.agroal.api.AgroalDataSource;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

@Path("/migrations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Migrations", description = "The migration history and applying it")
@RolesAllowed(Role.VIEWER_NAME)
@CallerNamed
public class MigrationsResource {

    static final String REQUEST_SOURCE = "X-Request-Source";
    static final String GIT_COMMIT = "X-Git-Commit";

    @Inject
    Migrator migrator;

    @Inject
    MigratorConfig config;

    @Inject
    ApplyMetrics metrics;

    @Inject
    ObjectMapper json;

    @Inject
    SecurityIdentity caller;

    @Inject
    Disclosure disclosure;

    @Inject
    HistoryRecorder recorder;

    @Inject
    VersionGate gate;

    @Inject
    Baseliner baseliner;

    @Inject
    org.eclipse.microprofile.context.ManagedExecutor executor;

    @Inject
    dev.mellon.migrator.engine.schema.HistoryCheck historyCheck;

    @Inject
    Rollbacker rollbacker;


    @Inject
    AgroalDataSource pool;

    @GET
    @Operation(summary = "Every journal entry with its status",
            description = "Statuses: applied, pending, changed (the file's hash differs from the tracking row at its when), "
                    + "out-of-order (unapplied, but below the newest applied entry, so drizzle would skip it forever), "
                    + "moved (no row at its when, but its SQL was recorded under another created_at: the when was edited, "
                    + "or a reverted file was added again; drizzle would run it again) and ambiguous (rows cannot be "
                    + "assigned to entries uniquely, e.g. two entries share a when with a row that matches neither) and "
                    + "interrupted (a run stopped part-way through it outside a transaction; apply with resume goes on).")
    @APIResponse(responseCode = "200", description = "The history",
            content = @Content(schema = @Schema(implementation = HistoryResponse.class)))
    @APIResponse(responseCode = "422", description = "The migration folder cannot be read",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HistoryResponse history() {
        return HistoryResponse.of(migrator.trackingTable().qualifiedName(), migrator.status(), migrator.auditDetails());
    }

    @GET
    @Path("/history")
    @Operation(summary = "The apply runs, newest first, paginated and filterable by outcome",
            description = "One row per apply run (dry runs and requests refused before the lock, such as an invalid body "
                    + "or folder, are not runs): run id, start and end, outcome (applied, up-to-date, failed, refused, "
                    + "lock-timeout, connection-lost, error), caller, client address, X-Request-Source, X-Git-Commit, the "
                    + "planned and applied tags, and where it failed. Keyset paging: pass nextBefore as before.")
    @APIResponse(responseCode = "200", description = "A page of runs",
            content = @Content(schema = @Schema(implementation = RunsResponse.class)))
    @APIResponse(responseCode = "400", description = "An unknown outcome, a limit outside 1-500, a before that is not a positive integer",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunsResponse runs(@QueryParam("outcome") @Parameter(description = "Only runs with this outcome") String outcome,
                             @QueryParam("limit") @Parameter(description = "Runs per page, 1-500 (default 50)") String limit,
                             @QueryParam("before") @Parameter(description = "Only runs older than this id (a previous page's nextBefore)") String before) {
        if (outcome != null && !dev.mellon.migrator.engine.history.RunStore.OUTCOMES.contains(outcome)) {
            throw new InvalidRequestException("outcome", "\"outcome\" must be one of "
                    + new java.util.TreeSet<>(dev.mellon.migrator.engine.history.RunStore.OUTCOMES) + ", not \"" + outcome + "\"");
        }
        int size = (int) QueryParams.number("limit", limit, 50, 500);
        Long keyset = before == null ? null : QueryParams.number("before", before, 0, Long.MAX_VALUE);
        return RunsResponse.of(migrator.runs(outcome, size, keyset));
    }

    @GET
    @Path("/pending")
    @Operation(summary = "What an apply would run next, in order, with statement counts")
    @APIResponse(responseCode = "200", description = "The pending entries",
            content = @Content(schema = @Schema(implementation = PendingResponse.class)))
    public PendingResponse pending() {
        return PendingResponse.of(migrator.status());
    }

    @GET
    @Path("/lock")
    @Operation(summary = "Who holds the migration lock and who waits for it",
            description = "From pg_locks and pg_stat_activity: the session holding this tracking table's advisory lock "
                    + "and the appliers polling for it.")
    @APIResponse(responseCode = "200", description = "The lock's state",
            content = @Content(schema = @Schema(implementation = LockStatus.class)))
    public LockStatus lock() {
        LockStatus status = migrator.lockStatus();
        return disclosure.internalsVisible() ? status : status.withoutQueries();
    }

    @GET
    @Path("/check")
    @Operation(summary = "Folder integrity, like drizzle-kit check and more; snapshots against their SQL; with database=true also INVALID indexes",
            description = "Snapshot collisions (two snapshots with one parent), broken prevId chains, malformed or "
                    + "unsupported snapshots, journal entries without a file or snapshot, snapshots no entry owns, orphan "
                    + "SQL files and non-increasing when, each with a severity. Without database=true it does not touch "
                    + "the database. With database=true it also lists the target database's INVALID indexes "
                    + "(pg_index.indisvalid = false, what a failed or killed CREATE INDEX CONCURRENTLY or REINDEX "
                    + "CONCURRENTLY leaves) with schema, table, index and the migration whose SQL creates an index of "
                    + "that name, in invalidIndexes and as findings: invalid-index (error), or index-being-built "
                    + "(warning) while a concurrent build of it is still running. Unless snapshots=false, every snapshot is "
                    + "also compared with what the history's SQL up to its entry produces (both built in sandboxes and read "
                    + "back): snapshotAudit names each entry where they start to disagree, and what the last snapshot gets "
                    + "wrong, which generate would otherwise write into the next migration.")
    @APIResponse(responseCode = "200", description = "The findings",
            content = @Content(schema = @Schema(implementation = CheckResponse.class)))
    @APIResponse(responseCode = "400", description = "database is neither true nor false",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "database=true and the database is unreachable",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CheckResponse check(@QueryParam("database") @Parameter(description = "true: also look at the target database "
            + "for INVALID indexes (one catalog query); false (default): the target is not asked",
            schema = @Schema(type = SchemaType.BOOLEAN)) String database,
                               @QueryParam("snapshots") @Parameter(description = "true (default): also compare every snapshot "
                                       + "with what the SQL up to its entry produces, replayed in sandboxes; false: skip it",
                                       schema = @Schema(type = SchemaType.BOOLEAN)) String snapshots) {
        return CheckResponse.of(historyCheck.check(QueryParams.flag("database", database),
                snapshots == null || QueryParams.flag("snapshots", snapshots)));
    }

    @GET
    @Path("/wait")
    @Operation(summary = "Version gate: wait until the database has a migration applied",
            description = "Long-polls until `tag` (or, without it, the folder's newest entry) is applied, woken by the "
                    + "NOTIFY every apply sends when it commits (from any instance), or until `timeout` (ISO-8601, default "
                    + "PT60S, at most migrator.lock-wait-max). For an init container: `curl --fail "
                    + "$URL/migrations/wait?timeout=PT5M`.")
    @APIResponse(responseCode = "200", description = "The tag is applied",
            content = @Content(schema = @Schema(implementation = GateResponse.class)))
    @APIResponse(responseCode = "408", description = "Not applied within the timeout; the problem carries its status",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "An unknown tag, or a malformed or too long timeout",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public GateResponse await(@QueryParam("tag") @Parameter(description = "The tag to wait for; default: the newest") String tag,
                              @QueryParam("timeout") @Parameter(description = "ISO-8601, default PT60S") String timeout) {
        if (tag != null) {
            FolderReader.checkTag(tag, null, "tag");
        }
        java.time.Duration limit = DurationField.parse("timeout", timeout, java.time.Duration.ofSeconds(60),
                config.lockWaitMax(), "migrator.lock-wait-max");
        VersionGate.Outcome outcome = gate.await(tag, limit);
        if (!outcome.reached()) {
            throw new GateTimeoutException(outcome);
        }
        return GateResponse.of(outcome);
    }

    @POST
    @Path("/{tag}/mark-applied")
    @RolesAllowed(Role.DEPLOYER_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record a migration as applied without running it",
            description = "For SQL that was applied some other way (the seed's \"relation already exists\" fix), or an "
                    + "interrupted migration finished by hand. Writes drizzle's tracking row under the apply lock and an "
                    + "audit row with the reason. Only pending, out-of-order, moved or interrupted entries.")
    @APIResponse(responseCode = "200", description = "Recorded",
            content = @Content(schema = @Schema(implementation = RecordResponse.class)))
    @APIResponse(responseCode = "409", description = "The entry is applied, changed or ambiguous, or the lock was busy",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RecordResponse markApplied(@PathParam("tag") String tag, RecordRequest body, @Context HttpServerRequest http) {
        return record(tag, body, http, recorder::markApplied);
    }

    @POST
    @Path("/baseline")
    @RolesAllowed(Role.ADMIN_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Adopt an existing database: record every entry up to `to` as applied",
            description = "First compares the live schema with `to`'s snapshot, canonically as drift does; only when they "
                    + "match are the tracking rows written (under the apply lock, audited as baselined with the reason). "
                    + "Otherwise 409 baseline-mismatch lists the differences and nothing is written.")
    @APIResponse(responseCode = "200", description = "Recorded",
            content = @Content(schema = @Schema(implementation = BaselineResponse.class)))
    @APIResponse(responseCode = "409", description = "The schema differs from `to`'s snapshot, an entry in range is changed, "
            + "moved, ambiguous or interrupted, or the lock was busy",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public BaselineResponse baseline(BaselineRequest body, @Context HttpServerRequest http) {
        BaselineRequest request = body == null ? new BaselineRequest() : body;
        String to = request.to();
        FolderReader.checkTag(to, null, "to");
        String reason = request.reason();
        java.time.Duration wait = DurationField.lockWait(request.wait, config.lockWait(), config.lockWaitMax());
        Baseliner.Baselined done = baseliner.baseline(to, reason, wait, new RunContext(appliedBy(caller), clientAddress(http), null));
        return new BaselineResponse(done.runId(), done.to(), done.marked(), done.comparison());
    }

    @POST
    @Path("/{tag}/accept-change")
    @RolesAllowed(Role.ADMIN_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Accept the edit of an applied migration",
            description = "Records in the audit table, with the reason, that the file's new hash is deliberate: the entry "
                    + "counts as applied from then on, and apply no longer refuses it. drizzle's tracking row is left as it is.")
    @APIResponse(responseCode = "200", description = "Recorded",
            content = @Content(schema = @Schema(implementation = RecordResponse.class)))
    @APIResponse(responseCode = "409", description = "The entry is not changed, or the lock was busy",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RecordResponse acceptChange(@PathParam("tag") String tag, RecordRequest body, @Context HttpServerRequest http) {
        return record(tag, body, http, recorder::acceptChange);
    }

    /** One of the recorder's operations, with the request's reason and wait, in the caller's name. */
    private interface Recording {
        HistoryRecorder.Recorded run(String tag, String reason, java.time.Duration wait, RunContext context);
    }

    private RecordResponse record(String tag, RecordRequest body, HttpServerRequest http, Recording recording) {
        FolderReader.checkTag(tag, null, "tag");
        RecordRequest request = body == null ? new RecordRequest() : body;
        String reason = request.reason();
        java.time.Duration wait = DurationField.lockWait(request.wait, config.lockWait(), config.lockWaitMax());
        return RecordResponse.of(recording.run(tag, reason, wait, new RunContext(appliedBy(caller), clientAddress(http), null)));
    }

    @GET
    @Path("/{tag}/down")
    @RolesAllowed(Role.ADMIN_NAME)
    @Operation(summary = "The down migration of an entry: what a rollback would run for it",
            description = "A hand-written <tag>.down.sql beside the entry's file (split on --> statement-breakpoint; "
                    + "drizzle ignores it) takes precedence (source: file). Otherwise the reverse diff of its snapshots, "
                    + "from meta/<its>_snapshot.json back to the previous entry's (an empty schema for the first entry), "
                    + "offered only when the entry's SQL is what its snapshots give (source: computed). With hazards: a "
                    + "down that drops a column or table deletes data.")
    @APIResponse(responseCode = "200", description = "The down migration",
            content = @Content(schema = @Schema(implementation = DownResponse.class)))
    @APIResponse(responseCode = "404", description = "No such tag in the journal",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "no-down-migration: no down file, and none can be computed "
            + "(a snapshot is missing, or the entry is a custom or edited migration)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DownResponse down(@PathParam("tag") @Parameter(description = "The journal tag") String tag) {
        FolderReader.checkTag(tag, null, "tag");
        return DownResponse.of(rollbacker.down(tag));
    }

    @POST
    @Path("/rollback")
    @RolesAllowed(Role.ADMIN_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Roll back every applied entry after `to`, newest first, in one transaction",
            description = "Under the apply lock: runs the down of each applied entry after `to` (\"\" for every applied "
                    + "entry), newest first, in one transaction that also deletes their drizzle tracking rows and writes "
                    + "audit rows (action rolled-back, with the reason); a failure leaves everything as it was. Refused "
                    + "(409 rollback-refused, nothing touched) when an entry has no down, when downs delete data without "
                    + "acceptDataLoss, or when an entry in range is changed, moved, ambiguous or interrupted.")
    @APIResponse(responseCode = "200", description = "Rolled back, or the plan (dryRun)",
            content = @Content(schema = @Schema(implementation = RollbackResponse.class)))
    @APIResponse(responseCode = "400", description = "A missing or unknown `to`, an unknown field, a bad `wait`",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "rollback-refused, or lock-timeout",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "migration-failed: PostgreSQL refused a down statement; the whole "
            + "rollback was rolled back",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RollbackResponse rollback(RollbackRequest body,
                                     @HeaderParam(REQUEST_SOURCE) @Parameter(description = "A label for the audit trail") String source,
                                     @Context HttpServerRequest http) {
        if (body == null) {
            throw new InvalidRequestException("to", "Send a body naming the last entry to keep in \"to\" (\"\" rolls back every applied entry)");
        }
        body.validate();
        java.time.Duration wait = DurationField.lockWait(body.wait, config.lockWait(), config.lockWaitMax());
        Rollbacker.Request request = new Rollbacker.Request(body.to, Boolean.TRUE.equals(body.acceptDataLoss),
                Boolean.TRUE.equals(body.dryRun), wait, body.reason());
        return RollbackResponse.of(rollbacker.rollback(request, new RunContext(appliedBy(caller), clientAddress(http), truncate(source))));
    }

    @GET
    @Path("/{tag}")
    @Operation(summary = "One migration with its statements as they are sent to PostgreSQL")
    @APIResponse(responseCode = "200", description = "The migration",
            content = @Content(schema = @Schema(implementation = MigrationDetail.class)))
    @APIResponse(responseCode = "400", description = "The tag contains '/' or '..'",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such tag in the journal",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public MigrationDetail migration(@PathParam("tag") @Parameter(description = "The journal tag") String tag) {
        FolderReader.checkTag(tag, null, "tag");
        StatusReport report = migrator.status();
        MigrationStatus status = report.migrations().stream().filter(s -> s.tag().equals(tag)).findFirst()
                .orElseThrow(() -> new UnknownMigrationException(tag, null));
        List<String> chunks = status.migration().statements();
        List<MigrationDetail.Statement> statements = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            statements.add(new MigrationDetail.Statement(i + 1, chunks.get(i)));
        }
        return new MigrationDetail(MigrationView.of(status), statements);
    }

    @POST
    @Path("/apply")
    @RolesAllowed(Role.DEPLOYER_NAME)
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Apply pending migrations, exactly once across every caller",
            description = "Takes the tracking table's advisory lock (waiting up to `wait`), re-reads the history, and runs "
                    + "what is pending in journal order, recording drizzle's (hash, created_at) rows. Safe to call from "
                    + "many CI jobs and replicas at once: each migration runs once, and every caller is told what "
                    + "happened. With `Accept: text/event-stream` the answer is a stream of server-sent events instead: "
                    + "lock-waiting, lock-acquired, migration-started {tag, mode, statements}, statement {tag, statement, "
                    + "of}, migration-done {tag, millis}, then finished (this answer's JSON) or failed (the problem "
                    + "document); a client that disconnects does not stop the apply.")
    @APIResponse(responseCode = "200", description = "Applied, or nothing to do",
            content = @Content(schema = @Schema(implementation = ApplyResponse.class)))
    @APIResponse(responseCode = "400", description = "Malformed body or an invalid field (a `wait` above migrator.lock-wait-max)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "too-many-waiters: as many callers as migrator.max-waiters already wait "
            + "for the lock on this instance; retry after the Retry-After header's seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Lock not acquired in time, applied files changed, entries out of "
            + "order or moved, rows ambiguous (never allowed), the run would strand entries below the high-water mark, or entries were interrupted (resume)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A migration failed or timed out (its transaction was rolled back; a "
            + "migration running outside a transaction stays part-done and resumes), or the folder is invalid",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "database-unavailable: the database is unreachable (nothing ran); "
            + "connection-lost: the connection broke during a migration and the outcome read back afterwards is in "
            + "committed / rolledBack; outcome-unknown: it broke and the outcome could not be read (check GET /migrations). "
            + "The last two carry a Retry-After header",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ApplyResponse apply(@RequestBody(description = "Optional; every field has a default",
                                       content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                               schema = @Schema(implementation = ApplyRequest.class))) String body,
                               @HeaderParam(REQUEST_SOURCE) @Parameter(description = "A label for the audit trail, e.g. the CI job") String source,
                               @HeaderParam(GIT_COMMIT) @Parameter(description = "The commit being deployed, kept in the run's history row") String gitCommit,
                               @Context HttpServerRequest http) throws JsonProcessingException {
        long started = System.nanoTime();
        ApplyOptions options = applyOptions(body);
        RunContext context = new RunContext(appliedBy(caller), clientAddress(http), truncate(source), truncate(gitCommit));
        ApplyResult result = metrics.record(options, () -> migrator.apply(options, context));
        return ApplyResponse.of(result, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The same apply with live progress: with {@code Accept: text/event-stream} the answer is a stream of events
     * (lock-waiting, lock-acquired, migration-started, statement, migration-done, then finished with the apply's
     * answer, or failed with its problem document). The apply runs on a thread of its own, so a client that goes away
     * does not stop it. Invalid requests are refused before the stream starts, as problem documents.
     */
    @POST
    @Path("/apply")
    @RolesAllowed(Role.DEPLOYER_NAME)
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(hidden = true)
    public void applyWithEvents(String body, @HeaderParam(REQUEST_SOURCE) String source,
                                @HeaderParam(GIT_COMMIT) String gitCommit, @Context HttpServerRequest http,
                                @Context SseEventSink sink, @Context Sse sse) throws JsonProcessingException {
        ApplyOptions options = applyOptions(body);
        RunContext context = new RunContext(appliedBy(caller), clientAddress(http), truncate(source), truncate(gitCommit));
        ApplyEvents events = new ApplyEvents(sink, sse, json, disclosure.internalsVisible());
        events.open();
        executor.execute(() -> events.run(() -> metrics.record(options, () -> migrator.apply(options, context, events))));
    }

    /** The request's options over the configured defaults; the allow-flags need the admin role. */
    private ApplyOptions applyOptions(String body) throws JsonProcessingException {
        ApplyRequest request = parse(body);
        ApplyOptions options = request.toOptions(config.lockWait(), config.lockWaitMax(), config.transaction(),
                new ApplyOptions.Timeouts(config.apply().lockTimeout(), config.apply().statementTimeout()),
                config.apply().timeoutMax());
        if (request.overridesSafety() && !caller.hasRole(Role.ADMIN_NAME)) {
            throw new ForbiddenException("The allow-flags (" + ApplyRequest.SAFETY_OVERRIDES
                    + ") override the history's safety checks and need the admin role");
        }
        return options;
    }

    /**
     * The body is read by hand so that {@code curl -X POST} with no body and no content type works, and so that
     * every JSON error reaches the problem mapper with its field and position.
     */
    private ApplyRequest parse(String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            return new ApplyRequest();
        }
        // Trailing content after the object ({"dryRun": true} xyz) is refused, as for every other body.
        ApplyRequest request = json.readerFor(ApplyRequest.class)
                .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(body);
        if (request == null) {
            throw new InvalidRequestException(null, "The body must be a JSON object, not null");
        }
        return request;
    }

    private static List<MigrationView> views(List<MigrationStatus> statuses) {
        return statuses.stream().map(MigrationView::of).toList();
    }

    private static String clientAddress(HttpServerRequest http) {
        return http == null || http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
    }

    /** The audit trail names the token that asked, and the instance that ran it. */
    static String appliedBy(SecurityIdentity caller) {
        return caller.isAnonymous() ? ServiceIdentity.NAME : caller.getPrincipal().getName() + " via " + ServiceIdentity.NAME;
    }

    private static String truncate(String value) {
        return value == null ? null : value.length() > 200 ? value.substring(0, 200) : value;
    }
}
