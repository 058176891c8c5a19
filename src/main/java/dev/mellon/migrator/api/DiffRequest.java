package dev.mellon.migrator.api;

import dev.mellon.migrator.web.StrictBody;

import dev.mellon.migrator.web.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /schema/diff}: two schema sources. */
@Schema(name = "DiffRequest")
public class DiffRequest extends StrictBody {

    @Schema(description = "The baseline", required = true)
    public Source from;

    @Schema(description = "What is compared with it", required = true)
    public Source to;

    /** Exactly one member is set. */
    @Schema(name = "SchemaSource")
    public static class Source extends StrictBody {
        @Schema(description = "true: the live database")
        public Boolean database;
        @Schema(description = "A journal tag, or \"\" for the history's last entry")
        public String migrations;
        @Schema(implementation = java.util.Map.class, description = "A Drizzle v7 snapshot")
        public JsonNode snapshot;
        @Schema(description = "DDL, run in a sandbox (admins only, where enabled)")
        public String sql;

        void check(String field) {
            refuseUnknownFields(field + ".", "database, migrations, snapshot, sql");
            int set = (Boolean.TRUE.equals(database) ? 1 : 0) + (migrations != null ? 1 : 0) + (snapshot != null ? 1 : 0)
                    + (sql != null ? 1 : 0);
            if (set != 1) {
                throw new InvalidRequestException(field, field + " must have exactly one of database (true), migrations, snapshot or sql");
            }
            if (snapshot != null && !snapshot.isObject()) {
                throw new InvalidRequestException(field + ".snapshot", "snapshot must be a JSON object (a Drizzle v7 snapshot)");
            }
        }
    }
}
