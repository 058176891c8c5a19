package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.schema.SnapshotCodec;
import dev.mellon.migrator.testing.Corpus;
import dev.mellon.migrator.testing.CorpusDefects;
import dev.mellon.migrator.testing.TestDatabase;
import dev.mellon.migrator.testing.TestSandboxes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The snapshot audit on real histories: after the last entry, the snapshot disagrees with what the SQL produces in
 * exactly the places each history's hand-written SQL was verified to cause ({@link CorpusDefects}), and every such
 * place is first reported at the entry where it appears.
 */
class SnapshotAuditTest {

    private static TestDatabase server;
    private static SnapshotAudit audit;

    @BeforeAll
    static void start() {
        server = TestDatabase.create("mellon_audit");
        audit = new SnapshotAudit(TestSandboxes.on(server.database()), dev.mellon.migrator.engine.history.TrackingTable.defaults(), new FolderReader(), new SnapshotCodec());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dokploy", "ctrlplane", "claude_code_hub", "pluggedin_app"})
    void theLastSnapshotDisagreesExactlyWhereTheHandWrittenSqlWasVerifiedTo(String corpus) {
        Path folderPath = Corpus.folder(corpus);
        MigrationFolder folder = new FolderReader().readForCheck(folderPath);
        SnapshotAudit.Result result = audit.audit(folderPath, folder, List.of());
        List<String> last = result.last().stream().map(d -> d.objectKind() + " " + d.change() + " " + d.name()
                + (d.attribute() == null ? "" : " " + d.attribute())).sorted().toList();
        System.out.println("SnapshotAuditTest " + corpus + ": " + folder.migrations().size() + " entries in " + result.millis()
                + " ms, " + result.disagreements().size() + " entries with new disagreements, unbuildable " + result.unbuildable());
        assertEquals(CorpusDefects.EXPECTED.get(corpus), last);
        assertFalse(result.disagreements().isEmpty());
        for (SnapshotAudit.Disagreement d : result.disagreements()) {
            assertTrue(folder.find(d.tag()).isPresent(), d.tag());
            assertFalse(d.appeared().isEmpty());
        }
    }

    /**
     * drizzle-kit 1.0's format 9 snapshots, folded along their chain, describe what each migration's SQL makes; in the
     * merged history the second branch's snapshot lacks the first branch (replayed before it) until the merge.
     */
    @ParameterizedTest
    @ValueSource(strings = {"generated", "upgraded", "merged"})
    void format9SnapshotsFoldedAlongTheirChainAgreeWithTheirSql(String name) {
        Path folderPath = Path.of("src/test/resources/folders/drizzle-kit-1", name);
        MigrationFolder folder = new FolderReader().readForCheck(folderPath);
        SnapshotAudit.Result result = audit.audit(folderPath, folder, List.of());
        assertEquals(List.of(), result.unbuildable());
        assertEquals(List.of(), result.last());
        if (!name.equals("merged")) {
            assertEquals(List.of(), result.disagreements());
        }
    }
}
