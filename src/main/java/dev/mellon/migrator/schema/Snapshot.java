package dev.mellon.migrator.schema;

import java.util.Map;

/**
 * A {@code meta/NNNN_snapshot.json} file: the schema after one migration, chained to its parent by {@code prevId}.
 *
 * @param meta drizzle's {@code _meta} rename maps ({@code columns}, {@code schemas}, {@code tables}); empty for pg v7
 */
public record Snapshot(String id, String prevId, String version, String dialect, SchemaModel schema,
                       Map<String, Map<String, String>> meta) {

    public static final String ROOT_ID = "00000000-0000-0000-0000-000000000000";

    public Snapshot {
        meta = Ordered.map(meta);
    }
}
