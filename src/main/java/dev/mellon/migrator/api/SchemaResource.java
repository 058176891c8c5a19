package dev.mellon.migrator.api;

import dev.mellon.migrator.web.Problem;
import dev.mellon.migrator.web.InvalidRequestException;
import dev.mellon.migrator.web.SchemaDiffResponse;
import dev.mellon.migrator.web.SchemaViews;
import dev.mellon.migrator.web.security.Role;
import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.schema.SchemaInspector;
import dev.mellon.migrator.engine.schema.SchemaDiffs;
import dev.mellon.migrator.schema.NameFilter;
import dev.mellon.migrator.schema.Snapshot;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;


@Path("/schema")
@Tag(name = "Schema", description = "The live schema, the schema the history expects, and the drift between them")
@RolesAllowed(Role.VIEWER_NAME)
@CallerNamed
public class SchemaResource {

    static final String MERMAID = SchemaViews.MERMAID;
    static final String SQL = SchemaViews.SQL;

    @Inject
    SecurityIdentity caller;

    @Inject
    SchemaInspector inspector;

    @Inject
    SchemaViews views;

    @Inject
    Migrator migrator;

    @Inject
    SchemaComparer comparer;

    @Inject
    SchemaDiffs diffs;

    @Inject
    dev.mellon.migrator.config.MigratorConfig config;

    @GET
    @Produces({MediaType.APPLICATION_JSON, SQL, MERMAID})
    @Operation(summary = "A schema as a Drizzle snapshot, a CREATE script or an ER diagram",
            description = "source=database (default) introspects the live database like drizzle-kit pull; "
                    + "source=migrations is the schema the history expects (the last entry's snapshot), "
                    + "migrations@<tag> the schema after that entry.")
    @APIResponse(responseCode = "200", description = "The schema in the requested format",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT,
                    description = "A Drizzle v7 snapshot")),
                    @Content(mediaType = SQL, schema = @Schema(type = SchemaType.STRING)),
                    @Content(mediaType = MERMAID, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", description = "Unknown format or source, or an invalid filter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response schema(
            @QueryParam("format") @Parameter(description = "json (default), sql or mermaid") String format,
            @QueryParam("source") @Parameter(description = "database (default), migrations or migrations@<tag>") String source,
            @QueryParam("schemaFilter") @Parameter(description = "Comma-separated schema globs; !glob excludes") String schemaFilter,
            @QueryParam("tablesFilter") @Parameter(description = "Comma-separated table globs; !glob excludes") String tablesFilter) {
        SchemaViews.Rendered rendered = views.schema(format, source, schemaFilter, tablesFilter);
        return Response.ok(rendered.body(), rendered.mediaType()).build();
    }

    @GET
    @Path("/diff")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Drift: how one schema differs from another",
            description = "By default from=migrations (the schema the history expects after its last entry) and "
                    + "to=database (the live schema). Each of from and to is migrations, database or migrations@<tag>. "
                    + "When the history has entries the database has not applied, the answer warns and also compares "
                    + "the database with the snapshot of the last applied entry.")
    @APIResponse(responseCode = "200", description = "The differences",
            content = @Content(schema = @Schema(implementation = SchemaDiffResponse.class)))
    @APIResponse(responseCode = "400", description = "Unknown from/to, or an invalid filter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A snapshot cannot be read",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "sandbox-busy: every sandbox of this instance is in use (migrator.sandbox.max-concurrent); retry after the Retry-After header's seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "sandbox-unavailable: no sandbox can be had (no unprivileged role, no CREATEDB); admins see why",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public SchemaDiffResponse diff(
            @QueryParam("from") @Parameter(description = "migrations (default), database or migrations@<tag>") String from,
            @QueryParam("to") @Parameter(description = "database (default), migrations or migrations@<tag>") String to,
            @QueryParam("schemaFilter") @Parameter(description = "Comma-separated schema globs; !glob excludes") String schemaFilter,
            @QueryParam("tablesFilter") @Parameter(description = "Comma-separated table globs; !glob excludes") String tablesFilter) {
        return views.diff(from, to, schemaFilter, tablesFilter);
    }

    @POST
    @Path("/diff")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Compare any two schemas",
            description = "Each of from and to is one of {\"database\": true}, {\"migrations\": \"<tag>\" or \"\"} (the "
                    + "history's head), {\"snapshot\": {…}} (a Drizzle v7 snapshot) or {\"sql\": \"…\"} (DDL run in a sandbox, "
                    + "admins only). The sql of the answer makes 'to' match 'from'.")
    @APIResponse(responseCode = "200", description = "The differences",
            content = @Content(schema = @Schema(implementation = SchemaDiffResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid sources, snapshot or filter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "Submitted DDL, or a snapshot's schema, was refused or failed in the sandbox",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "sandbox-busy: every sandbox of this instance is in use (migrator.sandbox.max-concurrent); retry after the Retry-After header's seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "sandbox-unavailable: no sandbox can be had (no unprivileged role, no CREATEDB); admins see why",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public SchemaDiffResponse diffAny(DiffRequest body) {
        if (body == null || body.from == null || body.to == null) {
            throw new InvalidRequestException(body == null || body.from == null ? "from" : "to",
                    "Send from and to, each one of database, migrations, snapshot or sql");
        }
        body.refuseUnknownFields("from, to");
        if ((body.from.sql != null || body.to.sql != null) && !caller.hasRole(Role.ADMIN_NAME)) {
            throw new ForbiddenException("A sql source runs DDL in a sandbox and needs the admin role");
        }
        return SchemaDiffResponse.of(diffs.diff(label(body.from), source("from", body.from), label(body.to),
                source("to", body.to), null, NameFilter.all()));
    }

    private SchemaDiffs.Source source(String field, DiffRequest.Source source) {
        source.check(field);
        SchemaInput.allowSql(source.sql, config);
        if (source.database != null) {
            return new SchemaDiffs.Database();
        }
        if (source.migrations != null) {
            if (!source.migrations.isEmpty() && migrator.currentFolder().find(source.migrations).isEmpty()) {
                throw new InvalidRequestException(field, "The journal has no migration tagged \"" + source.migrations + "\"");
            }
            return new SchemaDiffs.History(source.migrations.isEmpty() ? null : source.migrations);
        }
        if (source.snapshot != null) {
            return new SchemaDiffs.Snapshot(source.snapshot.toString());
        }
        return new SchemaDiffs.Sql(source.sql);
    }

    private static String label(DiffRequest.Source source) {
        if (source.database != null) {
            return "database";
        }
        if (source.migrations != null) {
            return source.migrations.isEmpty() ? "migrations" : "migrations@" + source.migrations;
        }
        return source.snapshot != null ? "snapshot" : "sql";
    }
}