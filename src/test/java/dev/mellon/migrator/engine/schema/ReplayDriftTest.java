package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.engine.apply.ApplyOptions;
import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.lock.PostgresSessions;
import dev.mellon.migrator.diff.Difference;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.schema.NameFilter;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.FolderBuilder;
import dev.mellon.migrator.testing.TestDatabase;
import dev.mellon.migrator.testing.TestSandboxes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drift compares the database with what its history's SQL produces: a history of hand-written SQL, an extension,
 * a custom migration, a concurrent index build outside the transaction, a file that leaves drizzle's transaction
 * with COMMIT, a DO block and a role is in sync right after it is applied; a change by hand afterwards is named; a
 * pending entry is not drift; a warm drift replays nothing and a grown folder replays only its new entry.
 */
class ReplayDriftTest {

    @TempDir
    Path dir;

    private TestDatabase database;
    private TestDatabase.Database db;
    private String role;

    @BeforeEach
    void createDatabase() {
        database = TestDatabase.create("mellon_drift");
        db = database.database();
        role = "mellon_replay_role_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    @AfterEach
    void dropDatabase() {
        database.close();
        TestDatabase.onServer("DROP ROLE IF EXISTS " + role);
    }

    private record Engine(Migrator migrator, SchemaDiffs diffs, HistoryReplay replay) {
    }

    private Engine engine(Path folder) {
        PGSimpleDataSource pool = new PGSimpleDataSource();
        pool.setUrl(db.jdbcUrl());
        pool.setUser(db.user());
        pool.setPassword(db.password());
        Migrator migrator = new Migrator(folder, new FolderReader(), pool,
                PostgresSessions.simpleProtocol(db.jdbcUrl(), db.user(), db.password()), TrackingTable.defaults());
        Canonicalizer canonicalizer = new Canonicalizer(TestSandboxes.on(db));
        HistoryReplay replay = new HistoryReplay(canonicalizer.sandboxes(), TrackingTable.defaults(), 4);
        SchemaInspector inspector = new SchemaInspector(folder, new FolderReader(), pool, TrackingTable.defaults());
        return new Engine(migrator, new SchemaDiffs(migrator, inspector, new SchemaComparer(canonicalizer), canonicalizer, replay, pool),
                replay);
    }

    private static SchemaDiffs.Diff drift(Engine engine) {
        return engine.diffs().diff("migrations", new SchemaDiffs.History(null), "database", new SchemaDiffs.Database(), null,
                NameFilter.all());
    }

    private FolderBuilder realisticHistory() {
        return new FolderBuilder(dir.resolve("drizzle"))
                .migration("init",
                        "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
                        "CREATE TYPE \"public\".\"status\" AS ENUM('open', 'done');",
                        "CREATE TABLE \"items\" (\n\t\"id\" serial PRIMARY KEY NOT NULL,\n\t\"name\" text NOT NULL,\n\t\"status\" \"status\" DEFAULT 'open' NOT NULL\n);\n",
                        "CREATE INDEX \"items_name_trgm\" ON \"items\" USING gin (\"name\" gin_trgm_ops);")
                .migration("custom_backfill",
                        "ALTER TABLE items ADD COLUMN slug text;",
                        "UPDATE items SET slug = lower(name);",
                        "ALTER TABLE items ALTER COLUMN slug SET NOT NULL;",
                        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'priority') THEN "
                                + "CREATE TYPE priority AS ENUM ('low', 'high'); END IF; END $$;",
                        "CREATE ROLE " + role + " NOLOGIN;",
                        "ALTER TYPE \"public\".\"status\" ADD VALUE 'archived';")
                .migration("concurrent_index",
                        "CREATE INDEX CONCURRENTLY items_slug_idx ON items (slug);")
                .migration("escape_transaction",
                        "COMMIT;",
                        "CREATE UNIQUE INDEX CONCURRENTLY items_name_key ON items (lower(name));",
                        "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;",
                        "CREATE TRIGGER items_touch BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION touch();");
    }

    @Test
    void aCleanlyAppliedHistoryOfHandWrittenSqlIsInSyncByReplay() throws Exception {
        Engine engine = engine(realisticHistory().write());
        engine.migrator().apply(ApplyOptions.defaults(), RunContext.of("test"));
        SchemaDiffs.Diff diff = drift(engine);
        assertEquals("replay", diff.comparison(), diff.warnings().toString());
        assertEquals(List.of(), diff.differences(), "phantom drift right after a clean apply: " + diff.warnings());
        assertTrue(diff.inSync());
        assertEquals(4, diff.replay().entries());
        NotReplayed createRole = diff.replay().notReplayed().stream().filter(n -> n.statement().startsWith("CREATE ROLE"))
                .findFirst().orElseThrow();
        assertEquals(NotReplayed.CLUSTER_WIDE, createRole.reason());
        assertEquals("present", createRole.target(), "the role the history creates exists on the target's server");
        try (Connection c = db.connect()) {
            assertEquals(0, Catalog.count(c, "select count(*) from pg_database where datname like 'mellon\\_sandbox\\_%'"),
                    "the replay's sandbox was kept under its template name, nothing else is left");
        }
    }

    @Test
    void aChangeByHandAfterTheApplyIsFoundAndNamed() throws Exception {
        Engine engine = engine(realisticHistory().write());
        engine.migrator().apply(ApplyOptions.defaults(), RunContext.of("test"));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("DROP INDEX items_name_trgm");
            st.execute("ALTER TABLE items ALTER COLUMN slug DROP NOT NULL");
            st.execute("DROP TRIGGER items_touch ON items");
            st.execute("CREATE TABLE hand_made (id int)");
        }
        SchemaDiffs.Diff diff = drift(engine);
        assertEquals("replay", diff.comparison());
        List<String> named = diff.differences().stream().map(d -> d.objectKind() + " " + d.name() + " " + d.change()
                + (d.attribute() == null ? "" : " " + d.attribute())).toList();
        assertTrue(named.contains("index public.items.items_name_trgm missing"), named.toString());
        assertTrue(named.contains("column public.items.slug changed notNull"), named.toString());
        assertTrue(named.contains("trigger public.items_touch on items missing"), named.toString());
        assertTrue(named.contains("table public.hand_made unexpected"), named.toString());
        assertTrue(diff.plan().sql().stream().anyMatch(s -> s.contains("gin_trgm_ops")), "the repair re-creates the index as the history made it");
    }

    @Test
    void pendingEntriesAreNotDriftAndAreCounted() throws Exception {
        FolderBuilder history = realisticHistory();
        Engine engine = engine(history.writeFirst(2));
        engine.migrator().apply(ApplyOptions.defaults(), RunContext.of("test"));
        Engine later = engine(history.write());
        SchemaDiffs.Diff diff = drift(later);
        assertEquals("replay", diff.comparison());
        assertEquals(List.of(), diff.differences(), "the two pending entries are not drift");
        assertEquals(2, diff.pending().size());
        assertEquals(2, diff.replay().entries());
        assertTrue(diff.warnings().stream().anyMatch(w -> w.contains("not applied")), diff.warnings().toString());
    }

    @Test
    void aWarmDriftReplaysNothingAndAGrownFolderReplaysOnlyItsNewEntry() throws Exception {
        FolderBuilder history = realisticHistory();
        Engine engine = engine(history.write());
        engine.migrator().apply(ApplyOptions.defaults(), RunContext.of("test"));
        SchemaDiffs.Diff cold = drift(engine);
        assertEquals(4, cold.replay().replayedNow());
        SchemaDiffs.Diff warm = drift(engine);
        assertEquals(0, warm.replay().replayedNow(), "the kept replay is reused");
        assertEquals(List.of(), warm.differences());
        history.migration("more", "ALTER TABLE items ADD COLUMN note text;").write();
        engine.migrator().apply(ApplyOptions.defaults(), RunContext.of("test"));
        SchemaDiffs.Diff grown = drift(engine);
        assertEquals(1, grown.replay().replayedNow(), "only the new entry is replayed, on a copy of the kept replay");
        assertEquals(5, grown.replay().entries());
        assertEquals(List.of(), grown.differences(), grown.warnings().toString());
        // Another process (a replica, or this one restarted) reuses the kept template without replaying anything.
        Engine other = engine(dir.resolve("drizzle"));
        SchemaDiffs.Diff elsewhere = drift(other);
        assertEquals(0, elsewhere.replay().replayedNow());
        assertEquals(List.of(), elsewhere.differences());
        assertFalse(elsewhere.replay().notReplayed().isEmpty(), "what replay did not run is kept with the template");
        List<String> dropped = other.replay().sweep(0);
        assertFalse(dropped.isEmpty(), "kept replays can be swept");
        assertTrue(dropped.stream().allMatch(name -> name.startsWith(HistoryReplay.PREFIX) && name.length() == HistoryReplay.PREFIX.length() + 32),
                "and nothing else: " + dropped);
    }

    @Test
    void aHistoryThatCannotBeReplayedFallsBackToItsSnapshotAndSaysWhy() throws Exception {
        Path folder = new FolderBuilder(dir.resolve("drizzle"))
                .migration("needs_auth", "CREATE TABLE t (id int REFERENCES auth.users(id));").write();
        Engine engine = engine(folder);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA auth; CREATE TABLE auth.users (id int PRIMARY KEY)");
        }
        engine.migrator().apply(ApplyOptions.defaults(), RunContext.of("test"));
        SchemaDiffs.Diff diff = drift(engine);
        assertFalse(diff.comparison().equals("replay"));
        assertTrue(diff.warnings().stream().anyMatch(w -> w.contains("not with a replay") && w.contains("3F000")),
                diff.warnings().toString());
        for (Difference d : diff.differences()) {
            assertFalse(d.name().startsWith("auth."), "nothing outside the history's schemas: " + d);
        }
    }
}
