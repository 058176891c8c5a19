package dev.mellon.migrator.api;

import dev.mellon.migrator.web.Problem;
import dev.mellon.migrator.web.PushResponse;
import dev.mellon.migrator.web.DurationField;
import dev.mellon.migrator.web.security.Role;
import dev.mellon.migrator.config.MigratorConfig;
import dev.mellon.migrator.engine.schema.GenerateRefusedException;
import dev.mellon.migrator.engine.generate.Pusher;
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

import java.time.Duration;

@Path("/schema/push")
@Tag(name = "Schema")
@RolesAllowed(Role.ADMIN_NAME)
@CallerNamed
public class PushResource {

    @Inject
    Pusher pusher;

    @Inject
    MigratorConfig config;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Bring the database to a desired schema directly (drizzle-kit push, made safe)",
            description = "Diffs the live database against the desired schema and runs the statements in ONE transaction under "
                    + "the apply lock. Steps that delete data are refused unless acceptDataLoss is set. Disabled unless "
                    + "migrator.push.enabled=true (the default in dev mode only).")
    @APIResponse(responseCode = "200", description = "Pushed (or planned, for dryRun)",
            content = @Content(schema = @Schema(implementation = PushResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid request, snapshot or rename hint",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "Push is disabled here",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "too-many-waiters: migrator.max-waiters callers already wait for the lock here; "
            + "sandbox-busy: every sandbox of this instance is in use. Retry after the Retry-After header's seconds",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The push would delete data, or the lock was not acquired",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A statement failed: everything was rolled back",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "sandbox-unavailable: no sandbox can be had for SQL input; admins see why",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public PushResponse push(PushRequest body) {
        if (!config.push().enabled()) {
            throw new GenerateRefusedException(GenerateRefusedException.Reason.DISABLED,
                    "Push is disabled on this service; set migrator.push.enabled=true (development databases only)");
        }
        PushRequest request = body == null ? new PushRequest() : body;
        request.refuseUnknownFields();
        SchemaInput.allowSql(request.sql, config);
        Duration wait = DurationField.lockWait(request.wait, config.lockWait(), config.lockWaitMax());
        Pusher.Result result = pusher.push(new Pusher.Request(request.snapshotText(), request.sql, request.renameHints(),
                SchemaInput.flag(request.acceptDataLoss), SchemaInput.flag(request.dryRun), wait));
        return PushResponse.of(result);
    }
}
