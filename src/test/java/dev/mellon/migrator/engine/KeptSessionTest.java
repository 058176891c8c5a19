package dev.mellon.migrator.engine;

import dev.mellon.migrator.testing.FolderBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The apply session kept between runs: reused, reset, and never holding the lock while it waits. */
class KeptSessionTest extends EngineDatabaseTest {

    private Migrator migrator(Path folder, Duration keep) {
        ConnectionSource sessions = PostgresSessions.keptBetweenRuns(db.jdbcUrl(), db.user(), db.password(),
                SessionSettings.defaults(), keep);
        return new Migrator(folder, new dev.mellon.migrator.folder.FolderReader(), pool(), sessions, TrackingTable.defaults());
    }

    private List<Integer> migratorBackends() throws Exception {
        List<Integer> pids = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select pid from pg_stat_activity where datname = current_database()"
                     + " and application_name = 'mellon-migrator' order by pid")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        }
        return pids;
    }

    @Test
    void whatAMigrationSetOnTheSessionDoesNotReachTheNextRun() throws Exception {
        sql("CREATE SCHEMA elsewhere");
        FolderBuilder builder = new FolderBuilder(dir.resolve("drizzle"))
                .migration("leaky", "SET search_path TO elsewhere;", "CREATE TEMP TABLE scratch (id int);",
                        "SELECT pg_advisory_lock(42);");
        Path folder = builder.write();
        Migrator migrator = migrator(folder, Duration.ofMinutes(1));
        migrator.apply(ApplyOptions.defaults(), TEST);

        List<Integer> kept = migratorBackends();
        assertEquals(1, kept.size(), "the finished run's session waits for the next run");
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from pg_locks where locktype = 'advisory' and pid = " + kept.get(0))) {
            rs.next();
            assertEquals(0, rs.getInt(1), "a waiting session holds neither the migration lock nor the migration's own");
        }

        builder.migration("after", "CREATE TABLE placed (id int);").write();
        migrator.apply(ApplyOptions.defaults(), TEST);

        assertEquals(kept, migratorBackends(), "the next run reused the session");
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select to_regclass('public.placed') is not null")) {
            rs.next();
            assertTrue(rs.getBoolean(1), "the search_path the first run set was reset before the second");
        }
    }

    @Test
    void aKeptSessionKilledWhileWaitingIsReplaced() throws Exception {
        FolderBuilder builder = new FolderBuilder(dir.resolve("drizzle")).migration("one", "CREATE TABLE one (id int);");
        Migrator migrator = migrator(builder.write(), Duration.ofMinutes(1));
        migrator.apply(ApplyOptions.defaults(), TEST);
        List<Integer> kept = migratorBackends();
        sql("select pg_terminate_backend(" + kept.get(0) + ")");

        builder.migration("two", "CREATE TABLE two (id int);").write();
        ApplyResult result = migrator.apply(ApplyOptions.defaults(), TEST);

        assertEquals(1, result.applied().size());
        assertNotEquals(kept, migratorBackends());
    }

    @Test
    void aFailedRunsSessionIsClosedNotKept() throws Exception {
        FolderBuilder builder = new FolderBuilder(dir.resolve("drizzle")).migration("bad", "SELECT * FROM missing_table;");
        Migrator migrator = migrator(builder.write(), Duration.ofMinutes(1));
        try {
            migrator.apply(ApplyOptions.defaults(), TEST);
        } catch (MigrationFailedException expected) {
            // the point of the test
        }
        for (int i = 0; i < 100 && !migratorBackends().isEmpty(); i++) {
            Thread.sleep(20); // the server notices the closed socket a moment after the client
        }
        assertEquals(List.of(), migratorBackends());
    }

    @Test
    void anIdleSessionIsClosedAfterTheKeepTime() throws Exception {
        Migrator migrator = migrator(new FolderBuilder(dir.resolve("drizzle")).migration("one", "CREATE TABLE one (id int);").write(),
                Duration.ofMillis(200));
        migrator.apply(ApplyOptions.defaults(), TEST);
        for (int i = 0; i < 150 && !migratorBackends().isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), migratorBackends());
    }
}
