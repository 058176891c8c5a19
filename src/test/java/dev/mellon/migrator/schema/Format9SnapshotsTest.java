package dev.mellon.migrator.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Format 9 snapshots that the real drizzle-kit 1.0.0-rc.5 wrote ({@code src/test/resources/folders/drizzle-kit-1}):
 * folded along their chain, turned into the model and back into rows, and diffed into deltas that fold again.
 */
class Format9SnapshotsTest {

    private static final Path FOLDERS = Path.of("src/test/resources/folders/drizzle-kit-1");

    private static List<Format9Snapshots.File> files(String folder) throws IOException {
        List<Format9Snapshots.File> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(FOLDERS.resolve(folder))) {
            for (Path dir : (Iterable<Path>) dirs.sorted()::iterator) {
                Path file = dir.resolve("snapshot.json");
                out.add(new Format9Snapshots.File(folder + "/" + dir.getFileName() + "/snapshot.json", Files.readString(file)));
            }
        }
        return out;
    }

    @Test
    void theChainFoldsToWhatEachMigrationMade() throws IOException {
        Map<String, Snapshot> folded = new Format9Snapshots(files("generated")).fold();
        SchemaModel last = List.copyOf(folded.values()).get(3).schema();
        Table posts = last.tables().get("public.posts");
        Table users = last.tables().get("public.users");
        assertEquals(List.of("id", "author_id", "created_at"), List.copyOf(posts.columns().keySet()));
        assertEquals("varchar(320)", users.columns().get("email").type());
        assertEquals(List.of("posts_created_at_idx"), List.copyOf(posts.indexes().keySet()));
        assertEquals(List.of("posts_author_id_users_id_fkey"), List.copyOf(posts.foreignKeys().keySet()));
        assertTrue(users.columns().get("id").primaryKey());
        assertEquals("'member'", users.columns().get("role").defaultValue().text());
        assertEquals("public", users.columns().get("role").typeSchema());
    }

    @Test
    void aMergeCombinesBothBranches() throws IOException {
        Format9Snapshots snapshots = new Format9Snapshots(files("merged"));
        assertEquals(1, snapshots.leafIds().size());
        SchemaModel merged = List.copyOf(snapshots.fold().values()).get(3).schema();
        Format9Snapshots conflict = new Format9Snapshots(files("conflict"));
        assertEquals(2, conflict.leafIds().size());
        assertTrue(merged.tables().size() >= 2);
    }

    @Test
    void rowsGoThroughTheModelAndBackUnchanged() throws IOException {
        for (String folder : List.of("generated", "merged", "upgraded")) {
            Format9Snapshots snapshots = new Format9Snapshots(files(folder));
            for (Format9Snapshots.State state : snapshots.states()) {
                Map<String, ObjectNode> again = Format9Rows.of(Format9Snapshots.model(state.rows(), state.path()));
                assertEquals(state.rowsByKey().keySet(), again.keySet(), state.path());
                assertEquals(List.of(), Format9Deltas.between(state.rowsByKey(), again), state.path());
            }
        }
    }

    @Test
    void deltasBetweenTwoStatesFoldBackToTheSecond() throws IOException {
        List<Format9Snapshots.State> states = new Format9Snapshots(files("generated")).states();
        Map<String, ObjectNode> first = states.get(0).rowsByKey();
        Map<String, ObjectNode> third = states.get(2).rowsByKey();
        List<JsonNode> deltas = Format9Deltas.between(first, third);
        String base = Format9Writer.base("00000000-0000-4000-8000-000000000001", first.values());
        String diff = Format9Writer.diff("00000000-0000-4000-8000-000000000002", List.of("00000000-0000-4000-8000-000000000001"), deltas);
        List<Format9Snapshots.State> folded = new Format9Snapshots(List.of(new Format9Snapshots.File("a", base),
                new Format9Snapshots.File("b", diff))).states();
        assertEquals(List.of(), Format9Deltas.between(third, folded.get(1).rowsByKey()));
        assertTrue(diff.startsWith("{\n  \"type\": \"diff\",\n  \"version\": \"9\",\n  \"dialect\": \"postgres\","), diff);
        assertTrue(!diff.endsWith("\n"));
    }

    @Test
    void aRowThatIsNotAnObjectIsASnapshotErrorNamingTheFile() {
        String base = "{\"type\": \"base\", \"version\": \"9\", \"id\": \"a\", \"prevIds\": [], \"ddl\": [42]}";
        SnapshotException e = org.junit.jupiter.api.Assertions.assertThrows(SnapshotException.class,
                () -> new Format9Snapshots(List.of(new Format9Snapshots.File("x/snapshot.json", base))));
        assertEquals("x/snapshot.json", e.file());
        SnapshotException state = org.junit.jupiter.api.Assertions.assertThrows(SnapshotException.class,
                () -> Format9Snapshots.rowsOfState("{\"ddl\": [{\"entityType\": \"gizmos\"}]}", "snapshot"));
        assertEquals("snapshot", state.file());
    }
}
