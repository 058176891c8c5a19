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

    private final Map<String, Parsed> byId = new HashMap<>();
    private final Map<String, Map<String, ObjectNode>> rowsById = new HashMap<>();
    private final List<State> states = new ArrayList<>();

    /**
     * Folds the folder's snapshots.
     *
     * @param files every format 9 snapshot of the folder, in directory order (parents before children)
     */
    public Format9Snapshots(List<File> files) {
        for (File file : files) {
            Parsed parsed = parse(file);
            byId.put(parsed.id(), parsed);
            Map<String, ObjectNode> rows;
            if (parsed.base()) {
                rows = new LinkedHashMap<>();
                for (JsonNode row : parsed.body()) {
                    put(rows, row, file.path());
                }
            } else {
                rows = combined(parsed.prevIds(), file.path());
                apply(rows, parsed.body(), file.path());
            }
            rowsById.put(parsed.id(), rows);
            states.add(new State(file.path(), parsed.id(), parsed.prevIds(), rows));
        }
    }

    /** The entity rows after one snapshot, in the order they were created, keyed by entity key. */
    public record State(String path, String id, List<String> prevIds, Map<String, ObjectNode> rowsByKey) {
        public java.util.Collection<ObjectNode> rows() {
            return rowsByKey.values();
        }
    }

    /** The rows after each file, in file order. */
    public List<State> states() {
        return List.copyOf(states);
    }

    /** The schema after each file, keyed by its path. */
    public Map<String, Snapshot> fold() {
        Map<String, Snapshot> out = new LinkedHashMap<>();
        for (State state : states) {
            out.put(state.path(), new Snapshot(state.id(), state.prevIds().isEmpty() ? Snapshot.ROOT_ID : state.prevIds().get(0),
                    "9", "postgresql", Format9Model.of(state.rows(), state.path()), Map.of()));
        }
        return out;
    }

    /** Rows as the schema model. */
    public static SchemaModel model(java.util.Collection<ObjectNode> rows, String where) {
        return Format9Model.of(rows, where);
    }

    /**
     * A state drizzle-kit 1.0's {@code generateDrizzleJson} returns ({@code version "9"}, a {@code ddl} list), as rows
     * keyed by entity key.
     */
    public static Map<String, ObjectNode> rowsOfState(String text, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SnapshotException(where, null, "not valid JSON: " + e.getOriginalMessage());
        }
        if (!root.path("ddl").isArray()) {
            throw new SnapshotException(where, "/ddl", "a format 9 state needs a ddl array");
        }
        Map<String, ObjectNode> rows = new LinkedHashMap<>();
        for (JsonNode row : root.path("ddl")) {
            if (!row.isObject()) {
                throw new SnapshotException(where, "/ddl", "every ddl entry must be an object");
            }
            put(rows, row, where);
        }
        return rows;
    }

    /** The ids of the snapshots no other names as a parent, newest directory first (drizzle-kit's {@code prevIds}). */
    public List<String> leafIds() {
        Set<String> parents = new HashSet<>();
        states.forEach(s -> parents.addAll(s.prevIds()));
        List<String> leaves = new ArrayList<>();
        for (State s : states) {
            if (!parents.contains(s.id())) {
                leaves.add(0, s.id());
            }
        }
        return leaves;
    }

    /**
     * The rows several parents combine into: the first parent's, with the other parents' branches since the fork
     * applied, as drizzle-kit bases a merge on them. A copy.
     */
    public Map<String, ObjectNode> combined(List<String> parentIds, String where) {
        String first = parentIds.isEmpty() ? Snapshot.ROOT_ID : parentIds.get(0);
        Map<String, ObjectNode> rows = copy(rowsOf(first, where));
        for (String other : parentIds.subList(Math.min(1, parentIds.size()), parentIds.size())) {
            for (Parsed step : branchSinceFork(other, first)) {
                if (step.base()) {
                    step.body().forEach(row -> put(rows, row, step.file().path()));
                } else {
                    apply(rows, step.body(), step.file().path());
                }
            }
        }
        return rows;
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

    private Map<String, ObjectNode> rowsOf(String id, String where) {
        if (id.equals(Snapshot.ROOT_ID) || id.isEmpty()) {
            return Map.of();
        }
        Map<String, ObjectNode> rows = rowsById.get(id);
        if (rows == null) {
            throw new SnapshotException(where, "/prevIds", "follows snapshot " + id
                    + ", which no earlier directory has (a migration deleted in the middle of the history?)");
        }
        return rows;
    }

    /** The snapshots on {@code other}'s first-parent chain back to (not including) an ancestor of {@code first}, oldest first. */
    private List<Parsed> branchSinceFork(String other, String first) {
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
                case "create" -> put(state, delta.path("row"), file);
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

    private static void put(Map<String, ObjectNode> state, JsonNode row, String file) {
        if (!row.isObject()) {
            throw new SnapshotException(file, null, "every entity row must be a JSON object");
        }
        ObjectNode copy = (ObjectNode) row.deepCopy();
        state.put(key(copy, file), copy);
    }

    /** drizzle-kit's key of a row: entity type, NUL, the JSON array of its identity fields. */
    public static String key(ObjectNode row, String file) {
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
