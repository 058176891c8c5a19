package dev.mellon.migrator.studio;

import dev.mellon.migrator.web.Problem;
import dev.mellon.migrator.web.security.Role;
import dev.mellon.migrator.config.MigratorConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The studio's data: the caller's roles, the relations, one relation's structure and its rows. */
@Path("/studio/api")
@Tag(name = "Studio", description = "Data for the studio page at /studio/: tables, their structure and (for readers) their rows")
@Produces(MediaType.APPLICATION_JSON)
public class StudioResource {

    @Inject
    SecurityIdentity caller;

    @Inject
    AgroalDataSource pool;

    @Inject
    MigratorConfig config;

    private volatile RowReader reader;

    /** Who the caller is to the studio: its roles decide which pages and controls it shows. */
    @Schema(name = "StudioCaller")
    public record Me(@Schema(description = "The token's name, or open-access when authentication is off") String name,
                     @Schema(description = "The caller's roles, with every role they include") Set<String> roles,
                     @Schema(description = "True when the service runs without authentication (dev mode)") boolean open) {
    }

    @GET
    @Path("/me")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "The caller's identity and roles, for the studio page")
    @APIResponse(responseCode = "200", description = "The caller", content = @Content(schema = @Schema(implementation = Me.class)))
    public Me me() {
        String name = caller.getPrincipal().getName();
        return new Me(name, new TreeSet<>(caller.getRoles()), "open-access".equals(name));
    }

    @GET
    @Path("/tables")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "Every table and view the service's role may read, with estimated rows and size",
            description = "Estimated rows are PostgreSQL's reltuples (absent before the table was first analysed).")
    @APIResponse(responseCode = "200", description = "The relations")
    public List<StudioCatalog.TableSummary> tables() {
        return reader().tables();
    }

    @GET
    @Path("/tables/{schema}/{table}")
    @RolesAllowed(Role.VIEWER_NAME)
    @Operation(summary = "One table's columns, primary key, indexes and foreign keys (both directions)")
    @APIResponse(responseCode = "200", description = "The table")
    @APIResponse(responseCode = "404", description = "Unknown schema or table",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public StudioCatalog.TableInfo table(@PathParam("schema") String schema, @PathParam("table") String table) {
        return reader().table(schema, table);
    }

    @GET
    @Path("/tables/{schema}/{table}/rows")
    @RolesAllowed(Role.READER_NAME)
    @Operation(summary = "One page of a table's rows, read in a read-only transaction with a statement timeout",
            description = "Keyset pagination on the primary key where there is one (nextCursor is opaque), else OFFSET. "
                    + "Filters are op:column[:value] with op eq, contains (case-insensitive, on the text form), gt, gte, lt, "
                    + "lte, isnull or notnull; values are bound parameters cast to the column's type. Text longer than "
                    + "textLimit is cut (truncated=true); bytea is a hex preview of its first 32 bytes with its length.")
    @APIResponse(responseCode = "200", description = "The page")
    @APIResponse(responseCode = "400", description = "A limit over 500, an unknown column, a value of the wrong type, a bad cursor",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown schema or table",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The query ran into the statement timeout, or the database is unavailable",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RowReader.Page rows(@PathParam("schema") String schema, @PathParam("table") String table,
                               @QueryParam("limit") @Parameter(description = "Rows per page, 1-500 (default 50)", schema = @Schema(type = SchemaType.INTEGER)) String limit,
                               @QueryParam("sort") @Parameter(description = "A column to sort by (the primary key breaks ties)") String sort,
                               @QueryParam("dir") @Parameter(description = "asc (default) or desc; NULLs come last") String dir,
                               @QueryParam("filter") @Parameter(description = "op:column[:value], repeatable, e.g. gte:age:18") List<String> filters,
                               @QueryParam("cursor") @Parameter(description = "nextCursor of the previous page") String cursor,
                               @QueryParam("textLimit") @Parameter(description = "Characters per cell before it is cut, 1-100000 (default 200)", schema = @Schema(type = SchemaType.INTEGER)) String textLimit) {
        return reader().rows(schema, table, new RowQuery.Request(limit, sort, dir, filters, cursor, textLimit));
    }

    private RowReader reader() {
        RowReader current = reader;
        if (current == null) {
            current = new RowReader(pool, new StudioCatalog(), config.studio().statementTimeout());
            reader = current;
        }
        return current;
    }
}
