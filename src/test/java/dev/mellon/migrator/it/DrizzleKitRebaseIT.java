package dev.mellon.migrator.it;

import dev.mellon.migrator.testing.TestSandboxes;
import dev.mellon.migrator.engine.apply.ApplyOptions;
import dev.mellon.migrator.engine.schema.Canonicalizer;
import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.engine.lock.PostgresSessions;
import dev.mellon.migrator.engine.generate.Rebaser;
import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.FolderWriter;
import dev.mellon.migrator.schema.SnapshotCodec;
import dev.mellon.migrator.testing.DrizzleOrm;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's "migration conflicts", with the real drizzle-kit: two branches each run {@code drizzle-kit generate} from
 * the same parent (unix-second tags, so both files survive the merge), the merged folder fails {@code drizzle-kit
 * check}, our rebase moves one branch's migration after the other's, and then {@code check} passes, {@code generate}
 * on the merged schema finds nothing, and the folder applies.
 */
class DrizzleKitRebaseIT {

    static final String IMPORTS = "import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';\n";
    static final String USERS = "export const users = pgTable('users', { id: serial('id').primaryKey(), name: text('name').notNull()%s });\n";
    static final String POSTS = "export const posts = pgTable('posts', { id: serial('id').primaryKey(), "
            + "authorId: integer('author_id').references(() => users.id) });\n";

    @TempDir
    Path work;

    @Test
    void mergedBranchesAreRebasedIntoAFolderDrizzleKitAccepts() throws Exception {
        try {
            mergeAndRebase();
        } finally {
            // The projects link node_modules to the shared install; unlink before @TempDir cleans up.
            Files.deleteIfExists(work.resolve("a/node_modules"));
            Files.deleteIfExists(work.resolve("b/node_modules"));
        }
    }

    private void mergeAndRebase() throws Exception {
        Path branchA = DrizzleOrm.kitProject(work.resolve("a"), IMPORTS + USERS.formatted(""));
        unixTags(branchA);
        DrizzleOrm.kit(branchA, "generate", "--name", "init");
        Path branchB = DrizzleOrm.kitProject(work.resolve("b"), IMPORTS + USERS.formatted(""));
        unixTags(branchB);
        copy(branchA.resolve("drizzle"), branchB.resolve("drizzle"));

        Files.writeString(branchA.resolve("schema.ts"), IMPORTS + USERS.formatted("") + POSTS);
        Thread.sleep(1100); // unix-second prefixes: the branches' tags must differ
        DrizzleOrm.kit(branchA, "generate", "--name", "add_posts");
        Files.writeString(branchB.resolve("schema.ts"), IMPORTS + USERS.formatted(", bio: text('bio')"));
        Thread.sleep(1100);
        DrizzleOrm.kit(branchB, "generate", "--name", "add_bio");

        // The merge: B's new files beside A's, and B's journal entry after A's (as a merge of the journal would).
        Path folder = branchA.resolve("drizzle");
        String tagB = lastTag(branchB.resolve("drizzle"));
        Files.copy(branchB.resolve("drizzle").resolve(tagB + ".sql"), folder.resolve(tagB + ".sql"));
        Files.copy(branchB.resolve("drizzle/meta").resolve(FolderReader.snapshotName(tagB)),
                folder.resolve("meta").resolve(FolderReader.snapshotName(tagB)));
        long whenB = new FolderReader().read(branchB.resolve("drizzle")).find(tagB).orElseThrow().when();
        Files.writeString(folder.resolve("meta/_journal.json"), FolderWriter.appendEntry(FolderWriter.readJournal(folder), 2, whenB, tagB));
        IllegalStateException collision = assertThrows(IllegalStateException.class, () -> DrizzleOrm.kit(branchA, "check"));
        assertTrue(collision.getMessage().contains("collision"), collision.getMessage());

        String tagA = new FolderReader().read(folder).migrations().get(1).tag();
        try (TestDatabase database = TestDatabase.create("mellon_kit_rebase")) {
            TestDatabase.Database db = database.database();
            Migrator migrator = migrator(db, folder);
            Canonicalizer canonicalizer = new Canonicalizer(TestSandboxes.on(db));
            Rebaser.Result result = new Rebaser(migrator, new FolderReader(), new SnapshotCodec(), new SchemaComparer(canonicalizer),
                    TestSandboxes.verifier(TestSandboxes.on(db)), true, Clock.systemUTC()).rebase(tagA, false);
            assertTrue(result.written());
            assertTrue(result.plan().sql().get(0).startsWith("CREATE TABLE \"posts\""), result.plan().sql().toString());

            assertTrue(DrizzleOrm.kit(branchA, "check").contains("Everything's fine"));
            Files.writeString(branchA.resolve("schema.ts"), IMPORTS + USERS.formatted(", bio: text('bio')") + POSTS);
            assertTrue(DrizzleOrm.kit(branchA, "generate").contains("No schema changes"));
            List<String> tags = new FolderReader().read(folder).migrations().stream().map(m -> m.tag()).toList();
            assertEquals(List.of(tags.get(0), tagB, result.entry().tag()), tags);
            migrator.apply(ApplyOptions.defaults(), RunContext.of("test"));
            assertEquals(3, migrator.status().inState(dev.mellon.migrator.engine.history.MigrationState.APPLIED).size());
        }
    }

    private static void unixTags(Path project) throws Exception {
        Files.writeString(project.resolve("drizzle.config.ts"), """
                import { defineConfig } from 'drizzle-kit';
                export default defineConfig({ dialect: 'postgresql', schema: './schema.ts', out: './drizzle', migrations: { prefix: 'unix' } });
                """, StandardCharsets.UTF_8);
    }

    private static String lastTag(Path folder) {
        var migrations = new FolderReader().read(folder).migrations();
        return migrations.get(migrations.size() - 1).tag();
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static Migrator migrator(TestDatabase.Database db, Path folder) {
        PGSimpleDataSource pool = new PGSimpleDataSource();
        pool.setUrl(db.jdbcUrl());
        pool.setUser(db.user());
        pool.setPassword(db.password());
        return new Migrator(folder, new FolderReader(), pool, PostgresSessions.simpleProtocol(db.jdbcUrl(), db.user(), db.password()),
                TrackingTable.defaults());
    }
}
