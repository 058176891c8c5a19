package dev.mellon.migrator.api;

import dev.mellon.migrator.config.MigratorConfig;
import dev.mellon.migrator.engine.upgrade.Upgrader;
import dev.mellon.migrator.web.DurationField;
import dev.mellon.migrator.web.Problem;
import dev.mellon.migrator.web.UpgradeRequest;
import dev.mellon.migrator.web.UpgradeResponse;
import dev.mellon.migrator.web.security.Role;
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

/** {@code POST /migrations/upgrade}: carrying a team from drizzle 0.x to 1.0, table and folder. */
@Path("/migrations/upgrade")
@Tag(name = "Migrations")
@RolesAllowed(Role.ADMIN_NAME)
@CallerNamed
public class UpgradeResource {

    @Inject
    Upgrader upgrader;

    @Inject
    MigratorConfig config;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upgrade to drizzle 1.0: name the tracking table's rows by hash, then move the journal folder into directories",
            description = "The table first, under the apply lock and in one transaction: drizzle-orm 1.0's name and"
                    + " applied_at columns, and each row named after the directory its migration moves into, matched by"
                    + " hash (drizzle-orm 1.0 matches by the second of created_at alone and can name the wrong migration;"
                    + " rows it named so are renamed here). A row that records no migration, or could record several, stops"
                    + " the upgrade with 409 tracking-upgrade-refused and nothing changed. Then the folder, as drizzle-kit up"
                    + " moves it: each entry into <YYYYMMDDHHMMSS>_<name>/migration.sql and snapshot.json, byte for byte,"
                    + " and meta/ removed. Where drizzle-kit up refuses (an entry that would sort before the one before it),"
                    + " the entry is dated a second after it instead, and the notes say so. The snapshots keep format 7:"
                    + " drizzle-kit up rewrites them to format 9 on its next run. With dryRun, nothing changes and the"
                    + " files come back with their content.")
    @APIResponse(responseCode = "200", description = "Upgraded, or what would be",
            content = @Content(schema = @Schema(implementation = UpgradeResponse.class)))
    @APIResponse(responseCode = "409", description = "A tracking row records no migration or several, the folder changed"
            + " or cannot be written, or the lock was busy",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public UpgradeResponse upgrade(UpgradeRequest body) {
        UpgradeRequest request = body == null ? new UpgradeRequest() : body;
        boolean dryRun = request.dryRun();
        java.time.Duration wait = DurationField.lockWait(request.wait, config.lockWait(), config.lockWaitMax());
        return UpgradeResponse.of(upgrader.upgrade(dryRun, request.folder(), request.table(), wait));
    }
}
