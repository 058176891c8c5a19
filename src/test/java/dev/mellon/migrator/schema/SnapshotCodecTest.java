package dev.mellon.migrator.schema;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.testing.Corpus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotCodecTest {

    private final SnapshotCodec codec = new SnapshotCodec();
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** The top-level key order of every snapshot drizzle-kit 0.31 writes. */
    private static final List<String> CURRENT_TOP_LEVEL = List.of("id", "prevId", "version", "dialect", "tables", "enums",
            "schemas", "sequences", "roles", "policies", "views", "_meta");

    /**
     * Every v7 snapshot of every corpus reads, and writing it back is lossless (reading our output gives the same
     * model). Files in the current drizzle-kit shape (JSON.stringify layout and key order, all keys present) come back
     * byte for byte; the others were written by older drizzle-kit versions, by {@code drizzle-kit up} or reformatted
     * by an editor, and the test says how many of each there are.
     */
    @Test
    void everyCorpusSnapshotRoundTrips() throws Exception {
        Map<String, Integer> kinds = new TreeMap<>();
        List<String> mismatches = new ArrayList<>();
        int identical = 0;
        for (String corpus : Corpus.NAMES) {
            Path meta = Corpus.folder(corpus).resolve("meta");
            List<Path> files;
            try (Stream<Path> list = Files.list(meta)) {
                files = list.filter(p -> p.getFileName().toString().endsWith("_snapshot.json")).sorted().toList();
            }
            for (Path file : files) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                Snapshot snapshot = codec.read(text, file.toString());
                String written = codec.write(snapshot);
                assertEquals(snapshot, codec.read(written, "rewritten " + file), "lossless: " + file);
                assertEquals(written, codec.write(codec.read(written, "again")), "our output is a fixpoint: " + file);
                if (written.equals(text)) {
                    identical++;
                    continue;
                }
                JsonNode tree = JSON.readTree(text);
                String kind;
                if (!JsonWriter.write(JsonWriter.plain(tree)).equals(text)) {
                    kind = "not JSON.stringify layout (reformatted or trailing newline)";
                } else if (!fieldNames(tree).equals(CURRENT_TOP_LEVEL)) {
                    kind = "older top-level keys " + fieldNames(tree);
                } else {
                    kind = "older nested key order or missing keys";
                    if (!olderNestedShape(tree)) {
                        mismatches.add(file.toString());
                    }
                }
                kinds.merge(kind, 1, Integer::sum);
            }
        }
        System.out.println("[snapshot round trip] byte-identical: " + identical + ", others by kind: " + kinds);
        assertTrue(mismatches.isEmpty(), "current-shape snapshots that did not come back byte for byte: " + mismatches);
        assertTrue(identical >= 200, "expected the 235 corpus snapshots written by current drizzle-kit to come back byte for byte, got " + identical);
    }

    /** True when some nested object has a key order or key set other than drizzle-kit 0.31's. */
    private boolean olderNestedShape(JsonNode root) {
        for (JsonNode table : iterable(root.get("tables"))) {
            if (!fieldNames(table).equals(List.of("name", "schema", "columns", "indexes", "foreignKeys", "compositePrimaryKeys",
                    "uniqueConstraints", "policies", "checkConstraints", "isRLSEnabled"))) {
                return true;
            }
            for (JsonNode fk : iterable(table.get("foreignKeys"))) {
                if (fieldNames(fk).indexOf("tableTo") > fieldNames(fk).indexOf("columnsFrom")) {
                    return true;
                }
            }
            for (JsonNode unique : iterable(table.get("uniqueConstraints"))) {
                if (!fieldNames(unique).equals(List.of("name", "nullsNotDistinct", "columns"))) {
                    return true;
                }
            }
            for (JsonNode index : iterable(table.get("indexes"))) {
                List<String> names = fieldNames(index);
                if (names.indexOf("with") < names.indexOf("method")) {
                    return true;
                }
                for (JsonNode column : index.get("columns")) {
                    if (!fieldNames(column).subList(0, 2).equals(List.of("expression", "isExpression"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node != null) {
            node.elements().forEachRemaining(out::add);
        }
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }


    @Test
    void writesTheSpecExampleByteForByte() throws Exception {
        String expected = Files.readString(Path.of("src/test/resources/snapshots/spec-example.json"));
        assertEquals(expected, codec.write(codec.read(expected, "spec-example.json")));
    }

    @Test
    void exampleFolderSnapshotsRoundTripByteForByte() throws Exception {
        for (String name : List.of("0000_snapshot.json", "0001_snapshot.json")) {
            String text = Files.readString(Path.of("drizzle/meta", name));
            assertEquals(text, codec.write(codec.read(text, name)));
        }
    }

    @Test
    void stringEscapingMatchesJavaScript() {
        assertEquals("{\n  \"a\": \"quote \\\" backslash \\\\ tab \\t nl \\n ctrl \\u0001 é / <\"\n}",
                JsonWriter.write(Map.of("a", "quote \" backslash \\ tab \t nl \n ctrl \u0001 é / <")));
    }

    @Test
    void unknownKeysWrongTypesAndVersionsAreRefusedWithThePointer() {
        SnapshotException unknown = assertThrows(SnapshotException.class, () -> codec.read(
                "{\"id\":\"x\",\"prevId\":\"y\",\"version\":\"7\",\"dialect\":\"postgresql\",\"tables\":{\"public.t\":{\"name\":\"t\",\"schema\":\"\",\"columns\":{\"a\":{\"name\":\"a\",\"type\":\"int\",\"primaryKey\":false,\"notNull\":false,\"colour\":\"red\"}},\"indexes\":{},\"foreignKeys\":{},\"compositePrimaryKeys\":{}}},\"enums\":{},\"schemas\":{}}",
                "0001_snapshot.json"));
        assertEquals("/tables/public.t/columns/a/colour", unknown.pointer());
        assertTrue(unknown.getMessage().startsWith("0001_snapshot.json: unknown key"), unknown.getMessage());

        SnapshotException type = assertThrows(SnapshotException.class, () -> codec.read(
                "{\"id\":\"x\",\"prevId\":\"y\",\"version\":\"7\",\"dialect\":\"postgresql\",\"tables\":{},\"enums\":{},\"schemas\":{\"app\":5}}", "f"));
        assertEquals("/schemas/app", type.pointer());

        SnapshotException v5 = assertThrows(SnapshotException.class, () -> codec.read(
                "{\"id\":\"x\",\"prevId\":\"y\",\"version\":\"5\",\"dialect\":\"pg\",\"tables\":{},\"enums\":{},\"schemas\":{}}", "f"));
        assertTrue(v5.getMessage().contains("drizzle-kit up"), v5.getMessage());

        SnapshotException v8 = assertThrows(SnapshotException.class, () -> codec.read(
                "{\"id\":\"x\",\"prevId\":\"y\",\"version\":\"8\",\"dialect\":\"postgresql\"}", "f"));
        assertEquals("/version", v8.pointer());
    }
}
