package dev.mellon.migrator.schema;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A format 9 diff snapshot as drizzle-kit 1.0 writes it: {@code type}, {@code version}, {@code dialect}, {@code id},
 * {@code prevIds}, {@code footprints}, {@code deltas}, printed as {@code JSON.stringify(…, null, 2)} without a trailing
 * newline.
 */
public final class Format9Writer {

    private Format9Writer() {
    }

    public static String diff(String id, List<String> prevIds, List<JsonNode> deltas) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("type", "diff");
        root.put("version", "9");
        root.put("dialect", "postgres");
        root.put("id", id);
        root.put("prevIds", List.copyOf(prevIds));
        // Footprints (what each statement reads and writes) feed drizzle-kit's branch-conflict check; not written here.
        root.put("footprints", List.of());
        root.put("deltas", deltas.stream().map(JsonWriter::plain).toList());
        return JsonWriter.write(root);
    }

    /** The first snapshot of a folder: the whole schema as rows. */
    public static String base(String id, java.util.Collection<? extends JsonNode> rows) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("type", "base");
        root.put("version", "9");
        root.put("dialect", "postgres");
        root.put("id", id);
        root.put("prevIds", List.of(Snapshot.ROOT_ID));
        root.put("footprints", List.of());
        root.put("ddl", rows.stream().map(JsonWriter::plain).toList());
        return JsonWriter.write(root);
    }
}
