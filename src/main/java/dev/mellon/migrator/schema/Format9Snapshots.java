package dev.mellon.migrator.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * drizzle-kit 1.0's snapshots (format 9), read into the one schema model. Only a folder's first snapshot holds the
 * whole schema ({@code type: "base"}, a flat {@code ddl} list of entity rows); every later one holds the changes of its
 * migration ({@code type: "diff"}, {@code deltas}: create a row, drop, alter or rename one by its key), chained by
 * {@code prevIds}. The schema after a migration is therefore its first parent's, with the other parents' branches
 * since the fork (a merge), and its own deltas. A row's key is its entity type, a NUL, and the JSON array of its
 * identity fields, as drizzle-kit keys them.
 */
public final class Format9Snapshots {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One {@code snapshot.json}: its path in the folder and its text. */
    public record File(String path, String text) {
    }

    private record Parsed(File file, String id, List<String> prevIds, boolean base, JsonNode body) {
    }

    /** Whether the text is a format 9 snapshot (without reading more than its header). */
    public static boolean isFormat9(String text) {
        try {
            return "9".equals(JSON.readTree(text).path("version").asText());
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /**
     * The schema after each file, keyed by its path.
     *
     * @param files every format 9 snapshot of the folder, in directory order (parents before children)
     */
    public Map<String, Snapshot> fold(List<File> files) {
        Map<String, Parsed> byId = new HashMap<>();
        Map<String, Map<String, ObjectNode>> states = new HashMap<>();
        Map<String, Snapshot> out = new LinkedHashMap<>();
        for (File file : files) {
            Parsed parsed = parse(file);
            byId.put(parsed.id(), parsed);
            Map<String, ObjectNode> state;
            if (parsed.base()) {
                state = new LinkedHashMap<>();
                for (JsonNode row : parsed.body()) {
                    put(state, (ObjectNode) row.deepCopy(), file.path());
                }
            } else {
                String first = parsed.prevIds().isEmpty() ? Snapshot.ROOT_ID : parsed.prevIds().get(0);
                state = copy(stateOf(first, states, file));
                for (String other : parsed.prevIds().subList(Math.min(1, parsed.prevIds().size()), parsed.prevIds().size())) {
                    for (Parsed step : branchSinceFork(other, first, byId)) {
                        apply(state, step.body(), step.file().path());
                    }
                }
                apply(state, parsed.body(), file.path());
            }
            states.put(parsed.id(), state);
            out.put(file.path(), new Snapshot(parsed.id(), parsed.prevIds().isEmpty() ? Snapshot.ROOT_ID : parsed.prevIds().get(0),
                    "9", "postgresql", Format9Model.of(state.values(), file.path()), Map.of()));
        }
        return out;
    }

    private static Parsed parse(File file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.text());
        } catch (JsonProcessingException e) {
            throw new SnapshotException(file.path(), null, "not valid JSON: " + e.getOriginalMessage());
        }
        if (!"9".equals(root.path("version").asText())) {
            throw new SnapshotException(file.path(), "/version", "not a format 9 snapshot");
        }
        String type = root.path("type").asText();
        if (!type.equals("base") && !type.equals("diff")) {
            throw new SnapshotException(file.path(), "/type", "type must be \"base\" or \"diff\", not \"" + type + "\"");
        }
        List<String> prevIds = new ArrayList<>();
        root.path("prevIds").forEach(p -> prevIds.add(p.asText()));
        JsonNode body = root.path(type.equals("base") ? "ddl" : "deltas");
        if (!body.isArray()) {
            throw new SnapshotException(file.path(), "/" + (type.equals("base") ? "ddl" : "deltas"), "an array is required");
        }
        return new Parsed(file, root.path("id").asText(), prevIds, type.equals("base"), body);
    }

    private static Map<String, ObjectNode> stateOf(String id, Map<String, Map<String, ObjectNode>> states, File file) {
        if (id.equals(Snapshot.ROOT_ID) || id.isEmpty()) {
            return Map.of();
        }
        Map<String, ObjectNode> state = states.get(id);
        if (state == null) {
            throw new SnapshotException(file.path(), "/prevIds", "follows snapshot " + id
                    + ", which no earlier directory has (a migration deleted in the middle of the history?)");
        }
        return state;
    }

    /** The snapshots on {@code other}'s first-parent chain back to (not including) an ancestor of {@code first}, oldest first. */
    private static List<Parsed> branchSinceFork(String other, String first, Map<String, Parsed> byId) {
        Set<String> ancestorsOfFirst = new HashSet<>();
        for (String id = first; byId.containsKey(id); id = firstParent(byId.get(id))) {
            ancestorsOfFirst.add(id);
        }
        List<Parsed> branch = new ArrayList<>();
        for (String id = other; byId.containsKey(id) && !ancestorsOfFirst.contains(id); id = firstParent(byId.get(id))) {
            branch.add(0, byId.get(id));
        }
        return branch;
    }

    private static String firstParent(Parsed p) {
        return p.prevIds().isEmpty() ? Snapshot.ROOT_ID : p.prevIds().get(0);
    }

    private static Map<String, ObjectNode> copy(Map<String, ObjectNode> state) {
        Map<String, ObjectNode> copy = new LinkedHashMap<>();
        state.forEach((k, v) -> copy.put(k, v.deepCopy()));
        return copy;
    }

    private static void apply(Map<String, ObjectNode> state, JsonNode deltas, String file) {
        for (JsonNode delta : deltas) {
            String op = delta.path("op").asText();
            switch (op) {
                case "create" -> put(state, (ObjectNode) delta.path("row").deepCopy(), file);
                case "drop" -> state.remove(delta.path("key").asText());
                case "alter", "rename" -> {
                    ObjectNode row = state.remove(delta.path("key").asText());
                    if (row == null) {
                        throw new SnapshotException(file, "/deltas", op + " of " + readable(delta.path("key").asText())
                                + ", which the snapshots before it do not have");
                    }
                    delta.path("set").fields().forEachRemaining(f -> row.set(f.getKey(), f.getValue().deepCopy()));
                    put(state, row, file);
                }
                default -> throw new SnapshotException(file, "/deltas", "unknown delta op \"" + op + "\"");
            }
        }
    }

    private static void put(Map<String, ObjectNode> state, ObjectNode row, String file) {
        state.put(key(row, file), row);
    }

    /** drizzle-kit's key of a row: entity type, NUL, the JSON array of its identity fields. */
    static String key(ObjectNode row, String file) {
        String type = row.path("entityType").asText();
        List<String> fields = switch (type) {
            case "schemas", "roles" -> List.of("name");
            case "tables", "enums", "sequences", "views", "indexes" -> List.of("schema", "name");
            case "columns", "fks", "pks", "uniques", "checks", "policies" -> List.of("schema", "table", "name");
            case "privileges" -> List.of("schema", "table", "grantor", "grantee", "type");
            default -> throw new SnapshotException(file, null, "unknown entity type \"" + type + "\"");
        };
        ArrayNode identity = JSON.createArrayNode();
        fields.forEach(f -> identity.add(row.path(f).asText()));
        return type + "\0" + identity;
    }

    private static String readable(String key) {
        return key.replace('\0', ' ');
    }
}
