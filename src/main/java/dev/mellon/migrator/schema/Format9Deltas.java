package dev.mellon.migrator.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deltas between two format 9 states as drizzle-kit 1.0 records them: every row only the new state has is created
 * (whole), every row only the old one has is dropped (by key), and a row both have with other field values is altered
 * (by key, with the fields that changed). Creates come first, then drops, then alters, each in its state's order.
 */
public final class Format9Deltas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Format9Deltas() {
    }

    public static List<JsonNode> between(Map<String, ObjectNode> before, Map<String, ObjectNode> after) {
        List<JsonNode> creates = new ArrayList<>();
        List<JsonNode> drops = new ArrayList<>();
        List<JsonNode> alters = new ArrayList<>();
        Map<String, ObjectNode> remaining = new LinkedHashMap<>(after);
        for (Map.Entry<String, ObjectNode> old : before.entrySet()) {
            ObjectNode now = remaining.remove(old.getKey());
            if (now == null) {
                ObjectNode drop = JSON.createObjectNode();
                drop.put("op", "drop");
                drop.put("key", old.getKey());
                drops.add(drop);
                continue;
            }
            ObjectNode set = JSON.createObjectNode();
            Set<String> fields = new LinkedHashSet<>();
            old.getValue().fieldNames().forEachRemaining(fields::add);
            now.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                JsonNode was = old.getValue().path(field);
                JsonNode is = now.path(field);
                if (!field.equals("entityType") && !equal(was, is)) {
                    set.set(field, is.isMissingNode() ? JSON.nullNode() : is.deepCopy());
                }
            }
            if (!set.isEmpty()) {
                ObjectNode alter = JSON.createObjectNode();
                alter.put("op", "alter");
                alter.put("key", old.getKey());
                alter.set("set", set);
                alters.add(alter);
            }
        }
        for (ObjectNode row : remaining.values()) {
            ObjectNode create = JSON.createObjectNode();
            create.put("op", "create");
            create.set("row", row.deepCopy());
            creates.add(create);
        }
        List<JsonNode> out = new ArrayList<>(creates);
        out.addAll(drops);
        out.addAll(alters);
        return out;
    }

    /** Deep equality where a missing field equals {@code null} (drizzle-kit fills every defined field). */
    private static boolean equal(JsonNode a, JsonNode b) {
        boolean aNull = a.isMissingNode() || a.isNull();
        boolean bNull = b.isMissingNode() || b.isNull();
        if (aNull || bNull) {
            return aNull == bNull;
        }
        return a.equals(b);
    }
}
