package dev.mellon.migrator.api;

import dev.mellon.migrator.web.Problem;
import dev.mellon.migrator.web.GenerateResponse;
import dev.mellon.migrator.web.security.Role;
import dev.mellon.migrator.engine.generate.Generator;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;


@Path("/migrations/generate")
@Tag(name = "Migrations")
@RolesAllowed(Role.ADMIN_NAME)
@CallerNamed
public class GenerateResource {

    @Inject
    Generator generator;

    @Inject
    dev.mellon.migrator.config.MigratorConfig config;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Generate the next migration from a desired schema (drizzle-kit generate over HTTP)",
            description = "Diffs the folder's last snapshot against the desired schema (a Drizzle v7 snapshot, or DDL run in "
                    + "a sandbox) and writes the SQL file, the snapshot and the journal entry exactly as drizzle-kit "
                    + "would. Renames never prompt: pass hints, or read renameCandidates. On a drizzle-kit 1.0 folder (one "
                    + "directory per migration) it writes <YYYYMMDDHHMMSS>_<name>/migration.sql and a format 9 diff "
                    + "snapshot.json against the combined state of every branch; there the desired schema may also be "
                    + "drizzle-kit 1.0's generateDrizzleJson state, whose rows the deltas then keep exactly.")
    @APIResponse(responseCode = "201", description = "A migration was generated",
            content = @Content(schema = @Schema(implementation = GenerateResponse.class)))
    @APIResponse(responseCode = "200", description = "Nothing differs: no migration",
            content = @Content(schema = @Schema(implementation = GenerateResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid request, snapshot (with its JSON pointer) or rename hint",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Two snapshots share a parent, or the folder changed or cannot be written",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The submitted DDL, or the snapshot's schema, was refused or failed in "
            + "the sandbox (schema-sql-refused, schema-refused); or the generated migration failed its proof on a replay of "
            + "the folder (generated-sql-failed: the statement, SQLSTATE and position; generated-sql-incomplete: what still "
            + "differs); nothing was written",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "sandbox-busy: every sandbox of this instance is in use (migrator.sandbox.max-concurrent); retry after the Retry-After header's seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "sandbox-unavailable: no sandbox can be had (no unprivileged role, no CREATEDB); admins see why",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response generate(GenerateRequest body) {
        GenerateRequest request = body == null ? new GenerateRequest() : body;
        request.refuseUnknownFields();
        SchemaInput.allowSql(request.sql, config);
        boolean custom = SchemaInput.flag(request.custom);
        Generator.Result result = generator.generate(new Generator.Request(request.snapshotText(), request.sql, request.name,
                request.renameHints(), SchemaInput.flag(request.online), custom, SchemaInput.flag(request.dryRun),
                SchemaInput.flag(request.writeDown), request.verify == null || request.verify));
        GenerateResponse response = GenerateResponse.of(result);
        return Response.status(response.migrations().isEmpty() ? 200 : 201).entity(response).build();
    }
}
