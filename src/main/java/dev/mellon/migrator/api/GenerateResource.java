package dev.mellon.migrator.api;

import dev.mellon.migrator.api.security.Role;
import dev.mellon.migrator.engine.Generator;
import dev.mellon.migrator.folder.FolderReader;
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

import java.util.ArrayList;
import java.util.List;

@Path("/migrations/generate")
@Tag(name = "Migrations")
@RolesAllowed(Role.ADMIN_NAME)
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
                    + "a shadow database) and writes the SQL file, the snapshot and the journal entry exactly as drizzle-kit "
                    + "would. Renames never prompt: pass hints, or read renameCandidates.")
    @APIResponse(responseCode = "201", description = "A migration was generated",
            content = @Content(schema = @Schema(implementation = GenerateResponse.class)))
    @APIResponse(responseCode = "200", description = "Nothing differs: no migration",
            content = @Content(schema = @Schema(implementation = GenerateResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid request, snapshot (with its JSON pointer) or rename hint",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Two snapshots share a parent, or the folder changed or cannot be written",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "The submitted DDL failed in the shadow database",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response generate(GenerateRequest body) {
        GenerateRequest request = body == null ? new GenerateRequest() : body;
        request.refuseUnknownFields();
        SchemaInput.allowSql(request.sql, config);
        boolean custom = SchemaInput.flag(request.custom);
        Generator.Result result = generator.generate(new Generator.Request(request.snapshotText(), request.sql, request.name,
                request.renameHints(), SchemaInput.flag(request.online), custom, SchemaInput.flag(request.dryRun),
                SchemaInput.flag(request.writeDown)));
        List<GenerateResponse.Migration> migrations = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        for (Generator.Entry e : result.entries()) {
            List<String> sql = List.of(e.files().sql().split(java.util.regex.Pattern.quote(FolderReader.BREAKPOINT) + "\n?", -1));
            statements.addAll(sql);
            List<GenerateResponse.File> files = new ArrayList<>(List.of(
                    new GenerateResponse.File(e.files().sqlFile(), e.files().sql()),
                    new GenerateResponse.File("meta/" + e.files().snapshotFile(), e.files().snapshot()),
                    new GenerateResponse.File(FolderReader.JOURNAL, e.files().journal())));
            if (e.files().downFile() != null) {
                files.add(new GenerateResponse.File(e.files().downFile(), e.files().down()));
            }
            migrations.add(new GenerateResponse.Migration(e.idx(), e.tag(), e.when(), e.id(), e.prevId(), sql, files));
        }
        GenerateResponse response = new GenerateResponse(migrations.isEmpty() ? null : migrations.get(0).tag(),
                result.plan().comparison(), PlanViews.changes(result.plan().changes()), statements,
                PlanViews.hazards(result.plan().hazards()), PlanViews.renames(result.plan().renameCandidates()), migrations,
                result.written(), result.warnings());
        return Response.status(migrations.isEmpty() ? 200 : 201).entity(response).build();
    }
}
