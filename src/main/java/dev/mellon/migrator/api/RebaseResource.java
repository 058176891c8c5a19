package dev.mellon.migrator.api;

import dev.mellon.migrator.web.Problem;
import dev.mellon.migrator.web.InvalidRequestException;
import dev.mellon.migrator.web.PlanViews;
import dev.mellon.migrator.web.GenerateResponse;
import dev.mellon.migrator.web.VerificationView;
import dev.mellon.migrator.web.security.Role;
import dev.mellon.migrator.engine.generate.Generator;
import dev.mellon.migrator.engine.generate.Rebaser;
import dev.mellon.migrator.folder.FolderReader;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/migrations/rebase")
@Tag(name = "Migrations")
@RolesAllowed(Role.ADMIN_NAME)
@CallerNamed
public class RebaseResource {

    @Inject
    Rebaser rebaser;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move one branch's migration after the other's (settles a merge conflict)",
            description = "For a folder where two snapshots share a parent: the named entry's schema change is merged onto "
                    + "the other branch's last snapshot, its SQL generated again, and it gets a new tag, idx, when and prevId. "
                    + "Refused when the entry is applied on this database or both branches changed the same thing.")
    @APIResponse(responseCode = "200", description = "Rebased (or planned, for dryRun)",
            content = @Content(schema = @Schema(implementation = GenerateResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such tag",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Nothing to rebase, already applied, or conflicting changes",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "generated-sql-failed or generated-sql-incomplete: the entry's new SQL "
            + "failed on a replay of the history, or fell short of the merged schema; nothing was written",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public GenerateResponse rebase(RebaseRequest body) {
        if (body != null) {
            body.refuseUnknownFields("tag, dryRun");
        }
        if (body == null || body.tag == null || body.tag.isBlank()) {
            throw new InvalidRequestException("tag", "Name the journal entry to rebase: {\"tag\": \"…\"}");
        }
        FolderReader.checkTag(body.tag, null, "tag");
        Rebaser.Result result = rebaser.rebase(body.tag, SchemaInput.flag(body.dryRun));
        Generator.Entry e = result.entry();
        List<String> statements = e.statements().stream().map(dev.mellon.migrator.ddl.Statement::sql).toList();
        GenerateResponse.Migration migration = new GenerateResponse.Migration(e.idx(), e.tag(), e.when(), e.id(), e.prevId(),
                statements, List.of(new GenerateResponse.File(e.files().sqlFile(), e.files().sql()),
                new GenerateResponse.File("meta/" + e.files().snapshotFile(), e.files().snapshot()),
                new GenerateResponse.File(FolderReader.JOURNAL, e.files().journal())));
        return new GenerateResponse(e.tag(), result.plan().comparison(), PlanViews.changes(result.plan().changes()), statements,
                PlanViews.hazards(result.plan().hazards()), List.of(), List.of(migration), result.written(), result.warnings(),
                result.verification() != null && result.verification().verified(), VerificationView.of(result.verification()));
    }
}
