package dev.mellon.migrator.api;

import dev.mellon.migrator.web.StrictBody;

import dev.mellon.migrator.web.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mellon.migrator.diff.InvalidRenameException;
import dev.mellon.migrator.diff.Rename;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;

/** The desired schema of a generate or push request: a Drizzle snapshot or DDL, with rename hints. */
public abstract class SchemaInput extends StrictBody {

    @Schema(implementation = java.util.Map.class, description = "The desired schema as a Drizzle v7 snapshot (drizzle-kit 0.x"
            + " drizzle-kit/api generateDrizzleJson), or drizzle-kit 1.0's format 9 state (drizzle-kit/api-postgres"
            + " generateDrizzleJson: version \"9\" and a ddl list)")
    public JsonNode snapshot;

    @Schema(description = "The desired schema as SQL DDL; it is run in a throwaway sandbox and read back (admins only, where enabled)")
    public String sql;

    @Schema(description = "Rename hints: without them an ambiguous drop+create stays drop+create and is listed as a candidate")
    public List<RenameHint> renames;

    @Schema(description = "Hints in drizzle-kit 1.0's --hints shape, instead of or beside renames: "
            + "{\"type\":\"rename\",\"kind\":\"column\",\"from\":[\"public\",\"posts\",\"title\"],\"to\":[\"public\",\"posts\",\"headline\"]}"
            + " (kinds schema, table, column, enum), {\"type\":\"create\",…} (not a rename: the default here), and"
            + " {\"type\":\"confirm_data_loss\",…} (generate never asks; push takes acceptDataLoss)")
    public List<JsonNode> hints;

    @Schema(name = "RenameHint")
    public static class RenameHint extends StrictBody {
        @Schema(description = "schema, table, column or enum", required = true)
        public String kind;
        @Schema(description = "The current qualified name, e.g. public.users.handle", required = true)
        public String from;
        @Schema(description = "The desired qualified name, e.g. public.users.username", required = true)
        public String to;
    }

    abstract String fieldNames();

    void refuseUnknownFields() {
        refuseUnknownFields(fieldNames());
    }

    /** DDL in a request runs on the database server: only where the deployment allows it. */
    static void allowSql(String sql, dev.mellon.migrator.config.MigratorConfig config) {
        if (sql != null && !config.schemaSql().enabled()) {
            throw new dev.mellon.migrator.engine.schema.GenerateRefusedException(dev.mellon.migrator.engine.schema.GenerateRefusedException.Reason.DISABLED,
                    "Schema SQL input is disabled on this service; send a snapshot, or set migrator.schema-sql.enabled=true "
                            + "(the DDL runs in a sandbox as an unprivileged role)");
        }
    }

    String snapshotText() {
        if (snapshot != null && !snapshot.isObject()) {
            throw new InvalidRequestException("snapshot", "snapshot must be a JSON object (a Drizzle v7 snapshot)");
        }
        return snapshot == null ? null : snapshot.toString();
    }

    List<Rename> renameHints() {
        List<Rename> out = new ArrayList<>(DrizzleKitHints.renames(hints));
        if (renames == null) {
            return out;
        }
        for (int i = 0; i < renames.size(); i++) {
            RenameHint hint = renames.get(i);
            if (hint == null || hint.kind == null || hint.from == null || hint.to == null) {
                throw new InvalidRequestException("renames[" + i + "]", "A rename hint needs kind, from and to");
            }
            hint.refuseUnknownFields("renames[" + i + "].", "kind, from, to");
            try {
                out.add(new Rename(Rename.Kind.parse(hint.kind), hint.from, hint.to));
            } catch (InvalidRenameException e) {
                throw new InvalidRequestException("renames[" + i + "].kind", e.getMessage());
            }
        }
        return out;
    }

    static boolean flag(Boolean value) {
        return Boolean.TRUE.equals(value);
    }
}
