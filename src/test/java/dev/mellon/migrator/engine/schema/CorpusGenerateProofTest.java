package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.engine.generate.Generator;
import dev.mellon.migrator.engine.generate.UnprovenMigrationException;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.FolderWriter;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.schema.SnapshotCodec;
import dev.mellon.migrator.testing.Corpus;
import dev.mellon.migrator.testing.ProofServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Generate on every step of real histories: a folder holding the entries before a step, and the step's snapshot as the
 * desired schema. Every step must come back verified: none fails on PostgreSQL, none falls short of its snapshot.
 * Where the history's own SQL disagrees with the previous snapshot (the corpora's hand edits), a difference the step
 * does not touch is carried, and one it touches is migrated from what the history made.
 */
class CorpusGenerateProofTest {

    /**
     * Steps whose snapshot uses an enum it does not define and no SQL before it creates: ctrlplane's 0009 snapshot
     * lacks target_relationship_type (its SQL file creates the type by hand), and 0096 adds a column of
     * resource_dependency_type, which no snapshot defines and no migration creates. Generate refuses them, naming the
     * enum; they cannot be written from the snapshots.
     */
    private static final java.util.Map<String, List<String>> SNAPSHOT_WITHOUT_ITS_ENUM = java.util.Map.of(
            "ctrlplane", List.of("0009_flaky_hellfire_club", "0096_loose_champions"));

    private static ProofServer server;

    @BeforeAll
    static void start() {
        server = ProofServer.start("mellon_corpus_proof");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * The histories proven: all four with {@code -Dcorpus.proof=all} (about twelve minutes on two cores), else the two
     * that hold most of the hand edits generate must write around (9 of the 12 steps written against the replay),
     * which keeps the build's time in bounds.
     */
    static List<String> corpora() {
        return "all".equals(System.getProperty("corpus.proof"))
                ? List.of("dokploy", "ctrlplane", "claude_code_hub", "pluggedin_app")
                : List.of("claude_code_hub", "pluggedin_app");
    }

    @ParameterizedTest
    @MethodSource("corpora")
    void everyStepGenerateWritesIsVerified(String corpus) throws Exception {
        Path source = Corpus.folder(corpus);
        List<Migration> entries = new FolderReader().readForCheck(source).migrations();
        Path folder = Files.createTempDirectory("mellon-corpus-proof");
        Files.createDirectories(folder.resolve("meta"));
        Canonicalizer canonicalizer = new Canonicalizer(server.sandboxes());
        Generator generator = new Generator(folder, new FolderReader(), new SnapshotCodec(), new SchemaComparer(canonicalizer),
                canonicalizer, server.verifier(), false, Clock.systemUTC());
        List<String> unproven = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        int steps = 0;
        int reconciled = 0;
        long started = System.nanoTime();
        byte[] journal = null; // the folder has none until its first entry
        for (Migration entry : entries) {
            Path snapshot = source.resolve("meta").resolve(FolderReader.snapshotName(entry.tag()));
            if (Files.exists(snapshot)) {
                try {
                    Generator.Result result = generator.generate(new Generator.Request(Files.readString(snapshot), null, "step",
                            List.of(), false, false, true, false, true));
                    if (!result.entries().isEmpty()) {
                        steps++;
                        if (!result.verification().verified()) {
                            unproven.add(entry.tag() + ": " + result.verification());
                        }
                        if (result.warnings().stream().anyMatch(w -> w.startsWith("The history's SQL does not make"))) {
                            reconciled++;
                        }
                    }
                } catch (UnprovenMigrationException e) {
                    if (e.verification() instanceof Verification.Failed f && f.hint() != null) {
                        refused.add(entry.tag());
                    } else {
                        unproven.add(entry.tag() + ": " + e.getMessage());
                    }
                } catch (RuntimeException e) {
                    unproven.add(entry.tag() + ": " + e.getMessage());
                }
                Files.copy(snapshot, folder.resolve("meta").resolve(snapshot.getFileName()));
            }
            // The entry as the history has it, before the next step.
            Files.copy(source.resolve(entry.fileName()), folder.resolve(entry.fileName()));
            journal = FolderWriter.appendEntry(journal, entry.idx(), entry.when(), entry.tag()).getBytes(StandardCharsets.UTF_8);
            Files.write(folder.resolve(FolderReader.JOURNAL), journal);
        }
        System.out.println("CorpusGenerateProofTest " + corpus + ": " + steps + " steps proven in "
                + (System.nanoTime() - started) / 1_000_000 + " ms, " + reconciled + " written against the replay, refused "
                + refused);
        assertEquals(List.of(), unproven);
        assertEquals(SNAPSHOT_WITHOUT_ITS_ENUM.getOrDefault(corpus, List.of()), refused);
    }
}
