package dev.mellon.migrator.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.ddl.MigrationWriter;
import dev.mellon.migrator.engine.GenerateRefusedException;
import dev.mellon.migrator.engine.MigrationVerifier;
import dev.mellon.migrator.engine.SchemaComparer;
import dev.mellon.migrator.engine.SchemaSource;
import dev.mellon.migrator.engine.Verification;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SnapshotCodec;
import dev.mellon.migrator.testing.TestDatabase;
import dev.mellon.migrator.testing.TestSandboxes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every step of the drizzle-kit reference ({@code drizzle-kit/reference/cases.json}: schema edits written in
 * drizzle-orm, snapshots from drizzle-kit 0.31.11) as our generate writes it, proven as generate proves it: the step's
 * SQL applied, as apply runs it, to a replay of a history that built the old schema, and the result compared with the
 * new schema built on its own. No step of ours may fail on PostgreSQL or fall short, whatever drizzle-kit writes.
 */
class ReferenceCasesProofTest {

    /**
     * Steps generate refuses instead: r10c's new snapshot keeps a foreign key to the table it drops (drizzle-kit drops
     * the table, and the key with it, and says nothing).
     */
    private static final java.util.Set<String> REFUSED = java.util.Set.of("r10c");

    private static TestDatabase server;
    private static MigrationVerifier verifier;

    @BeforeAll
    static void sandboxes() {
        server = TestDatabase.create("mellon_refproof");
        verifier = TestSandboxes.verifier(TestSandboxes.on(server.database()));
    }

    @AfterAll
    static void drop() {
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> everyStepIsProven() throws IOException {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/drizzle-kit/reference/cases.json")) {
            cases = new ObjectMapper().readTree(in);
        }
        SnapshotCodec codec = new SnapshotCodec();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            String name = c.get("n").asText() + " " + c.get("desc").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                SchemaModel prev = codec.read(c.get("prev").toString(), "prev").schema();
                SchemaModel cur = codec.read(c.get("cur").toString(), "cur").schema();
                String created = sql(SchemaModel.empty(), prev);
                if (REFUSED.contains(c.get("n").asText())) {
                    assertThrows(GenerateRefusedException.class, () -> sql(prev, cur));
                    return;
                }
                String step = sql(prev, cur);
                Assumptions.assumeFalse(step.isEmpty(), "no statements: nothing to prove");
                Assumptions.assumeFalse(step.contains("vector") && !TestDatabase.hasExtension("vector"),
                        "the step uses pgvector, which this server does not offer");
                List<Migration> history = created.isEmpty() ? List.of()
                        : List.of(FolderReader.migration(0, "0000_prev", 1, created));
                Verification v = verifier.verify(history, prev, List.of(FolderReader.migration(history.size(), "0001_step", 2, step)), cur);
                if (!v.verified()) {
                    fail(name + ": " + v + "\nprev:\n" + created + "\nstep:\n" + step);
                }
            }));
        }
        return tests.stream();
    }

    /** The step as generate plans it from two snapshots. */
    private static String sql(SchemaModel from, SchemaModel to) {
        return MigrationWriter.join(new SchemaComparer(null).plan(SchemaSource.snapshot("prev", from), SchemaSource.snapshot("cur", to),
                List.of(), SchemaComparer.Style.DRIZZLE).statements());
    }
}
