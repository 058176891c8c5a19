package dev.mellon.migrator.engine.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A three-way merge of snapshot documents, the way a version control system merges text: what one side changed
 * from the common base is taken over the other side, key by key through nested objects. A value that both sides
 * changed differently is a conflict, named by its JSON pointer; arrays and scalars are merged whole.
 */
final class SnapshotMerge {

    private SnapshotMerge() {
    }

    record Result(JsonNode merged, List<String> conflicts) {
    }

    static Result merge(JsonNode base, JsonNode ours, JsonNode theirs) {
        List<String> conflicts = new ArrayList<>();
        JsonNode merged = merge("", base, ours, theirs, conflicts);
        return new Result(merged, conflicts);
    }

    /** {@code null} stands for "absent". */
    private static JsonNode merge(String pointer, JsonNode base, JsonNode ours, JsonNode theirs, List<String> conflicts) {
        if (Objects.equals(ours, base)) {
            return theirs;
        }
        if (Objects.equals(theirs, base) || Objects.equals(ours, theirs)) {
            return ours;
        }
        if (ours != null && theirs != null && ours.isObject() && theirs.isObject() && (base == null || base.isObject())) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            Set<String> keys = new LinkedHashSet<>();
            theirs.fieldNames().forEachRemaining(keys::add);
            ours.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                JsonNode value = merge(pointer + "/" + key.replace("~", "~0").replace("/", "~1"),
                        base == null ? null : base.get(key), ours.get(key), theirs.get(key), conflicts);
                if (value != null) {
                    out.set(key, value);
                }
            }
            return out;
        }
        conflicts.add(pointer.isEmpty() ? "/" : pointer);
        return ours;
    }
}
