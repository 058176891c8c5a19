package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.lock.ConnectionSource;
import dev.mellon.migrator.engine.lock.PostgresSessions;
import dev.mellon.migrator.engine.lock.SessionSettings;
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

    /** Waits for the server to see the client's side of a closed session go (it notices a moment later). */
    private List<Integer> settledBackends(int expected) throws Exception {
        List<Integer> backends = migratorBackends();
        for (int i = 0; i < 150 && backends.size() != expected; i++) {
            Thread.sleep(20);
            backends = migratorBackends();
        }
        return backends;
    }

    @Test
    void aRunThatAppliedClosesItsSessionAndANoOpRunKeepsAResetOne() throws Exception {
        sql("CREATE SCHEMA elsewhere");
        FolderBuilder builder = new FolderBuilder(dir.resolve("drizzle"))
                .migration("leaky", "SET search_path TO elsewhere;", "CREATE TEMP TABLE scratch (id int);",
                        "SELECT pg_advisory_lock(42);");
        Migrator migrator = migrator(builder.write(), Duration.ofMinutes(1));
        migrator.apply(ApplyOptions.defaults(), TEST);
        assertEquals(List.of(), settledBackends(0), "a session that ran migration SQL is not kept");

        migrator.apply(ApplyOptions.defaults(), TEST);
        List<Integer> kept = settledBackends(1);
        assertEquals(1, kept.size(), "a no-op run's session waits for the next run");
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from pg_locks where locktype = 'advisory' and pid = " + kept.get(0))) {
            rs.next();
            assertEquals(0, rs.getInt(1), "a waiting session holds no advisory lock");
        }

        builder.migration("after", "CREATE TABLE placed (id int);").write();
        migrator.apply(ApplyOptions.defaults(), TEST);
        try (Connection c = db.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select to_regclass('public.placed') is not null")) {
            rs.next();
            assertTrue(rs.getBoolean(1), "the search_path the first run set did not reach a later one");
        }
        assertEquals(List.of(), settledBackends(0), "the kept session ran the new migration, and was closed after it");
    }

    @Test
    void aKeptSessionIsReusedAndOneKilledWhileWaitingIsReplaced() throws Exception {
        FolderBuilder builder = new FolderBuilder(dir.resolve("drizzle")).migration("one", "CREATE TABLE one (id int);");
        Migrator migrator = migrator(builder.write(), Duration.ofMinutes(1));
        migrator.apply(ApplyOptions.defaults(), TEST);
        migrator.apply(ApplyOptions.defaults(), TEST);
        List<Integer> kept = settledBackends(1);
        migrator.apply(ApplyOptions.defaults(), TEST);
        assertEquals(kept, migratorBackends(), "the next no-op run reused the session");

        sql("select pg_terminate_backend(" + kept.get(0) + ")");
        builder.migration("two", "CREATE TABLE two (id int);").write();
        ApplyResult result = migrator.apply(ApplyOptions.defaults(), TEST);

        assertEquals(1, result.applied().size());
        assertEquals(1, count("select count(*) from pg_tables where tablename = 'two'"));
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
        assertEquals(List.of(), settledBackends(0));
    }

    @Test
    void anIdleSessionIsClosedAfterTheKeepTime() throws Exception {
        Migrator migrator = migrator(new FolderBuilder(dir.resolve("drizzle")).migration("one", "CREATE TABLE one (id int);").write(),
                Duration.ofMillis(300));
        migrator.apply(ApplyOptions.defaults(), TEST);
        migrator.apply(ApplyOptions.defaults(), TEST);
        assertEquals(List.of(), settledBackends(0));
    }

    private long count(String query) throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
