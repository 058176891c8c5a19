package dev.mellon.migrator.acceptance;

import dev.mellon.migrator.ddl.MigrationWriter;
import dev.mellon.migrator.engine.schema.GenerateRefusedException;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.schema.SchemaSource;
import dev.mellon.migrator.engine.schema.Verification;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.testing.ProofServer;
import dev.mellon.migrator.testing.ReferenceCase;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

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

    private static ProofServer server;

    @BeforeAll
    static void sandboxes() {
        server = ProofServer.start("mellon_refproof");
    }

    @AfterAll
    static void drop() {
        server.close();
    }

    @TestFactory
    Stream<DynamicTest> everyStepIsProven() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ReferenceCase c : ReferenceCase.all()) {
            tests.add(DynamicTest.dynamicTest(c.title(), () -> {
                String created = sql(SchemaModel.empty(), c.prev());
                if (REFUSED.contains(c.n())) {
                    assertThrows(GenerateRefusedException.class, () -> sql(c.prev(), c.cur()));
                    return;
                }
                String step = sql(c.prev(), c.cur());
                Assumptions.assumeFalse(step.isEmpty(), "no statements: nothing to prove");
                Assumptions.assumeFalse(step.contains("vector") && !TestDatabase.hasExtension("vector"),
                        "the step uses pgvector, which this server does not offer");
                Assumptions.assumeFalse((step + created).contains("NULLS NOT DISTINCT") && TestDatabase.serverMajor() < 15,
                        "NULLS NOT DISTINCT needs PostgreSQL 15 (drizzle's nullsNotDistinct())");
                List<Migration> history = created.isEmpty() ? List.of()
                        : List.of(FolderReader.migration(0, "0000_prev", 1, created));
                Verification v = server.verifier().verify(history, c.prev(),
                        List.of(FolderReader.migration(history.size(), "0001_step", 2, step)), c.cur());
                if (!v.verified()) {
                    fail(c.title() + ": " + v + "\nprev:\n" + created + "\nstep:\n" + step);
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
