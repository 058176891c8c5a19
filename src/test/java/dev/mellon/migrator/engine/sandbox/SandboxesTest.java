package dev.mellon.migrator.engine.sandbox;

import dev.mellon.migrator.engine.schema.CanonicalDriftTest;
import dev.mellon.migrator.engine.schema.Canonicalizer;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.schema.SchemaPlan;
import dev.mellon.migrator.engine.schema.SchemaSource;
import dev.mellon.migrator.engine.schema.CanonicalDriftTest;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.TestDatabase;
import dev.mellon.migrator.testing.TestSandboxes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sandboxes come and go (dropped after use and after failure, swept when stale), run as an unprivileged role that
 * logs in as itself even though the tests' login is a superuser, are capped in number and time, and are never
 * required: without one, comparisons fall back to text and say so.
 */
class SandboxesTest {

    private static TestDatabase server;
    private static Sandboxes sandboxes;

    @BeforeAll
    static void start() {
        server = TestDatabase.create("mellon_sandboxes");
        sandboxes = TestSandboxes.on(server.database());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<String> sandboxNames() throws SQLException {
        try (Connection c = server.database().connect()) {
            return Catalog.strings(c, "select datname from pg_database where datname like 'mellon\\_sandbox\\_%' order by 1");
        }
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private static SandboxServer serverAs(String user) {
        return new SandboxServer(server.database().jdbcUrl(), user, server.database().password(), Map.of(), Duration.ofSeconds(10));
    }

    @Test
    void aSandboxIsDroppedWhenClosedAndWhenItsSqlFails() throws Exception {
        String name;
        try (Sandbox sandbox = sandboxes.open()) {
            name = sandbox.database();
            assertTrue(sandboxNames().contains(name));
        }
        assertFalse(sandboxNames().contains(name), "closed sandbox " + name + " is gone");
        List<String> before = sandboxNames();
        Canonicalizer canonicalizer = new Canonicalizer(sandboxes);
        SandboxStatementException e = assertThrows(SandboxStatementException.class,
                () -> canonicalizer.fromSql("CREATE TABLE t (id int);\nCREATE TABLE u (id nonsense_type)"));
        assertEquals(SandboxStatementException.Kind.FAILED, e.kind());
        assertEquals("42704", e.sqlState());
        assertEquals(2, e.line(), "the failure points at the second line of the submitted text");
        assertEquals(20, e.column());
        assertFalse(e.getMessage().contains("does not exist"), "the server's words stay out of the message: " + e.getMessage());
        assertTrue(e.serverMessage().contains("nonsense_type"), e.serverMessage());
        assertEquals(before, sandboxNames(), "the failed request's sandbox was dropped");
    }

    @Test
    void aSandboxLogsInAsItsOwnUnprivilegedRoleThoughTheServiceIsASuperuser() throws Exception {
        try (Connection c = server.database().connect()) {
            assertEquals(1, Catalog.count(c, "select count(*) from pg_roles where rolname = current_user and rolsuper"),
                    "these tests run the service as a superuser, the worst case");
        }
        try (Sandbox sandbox = sandboxes.open()) {
            Connection session = sandbox.session();
            assertEquals(TestSandboxes.ROLE, Catalog.strings(session, "select session_user::text").get(0),
                    "logged in as the role itself, not SET ROLE from the service's session");
            assertEquals(0, Catalog.count(session, "select count(*) from pg_roles where rolname = session_user"
                    + " and (rolsuper or rolcreaterole or rolcreatedb or rolreplication or rolbypassrls)"));
            assertEquals(0, Catalog.count(session, "select count(*) from pg_auth_members m join pg_roles r on r.oid = m.member"
                    + " where r.rolname = session_user"), "a member of no role");
            SQLException denied = assertThrows(SQLException.class,
                    () -> Catalog.strings(session, "select pg_read_file('/etc/hostname')"));
            assertEquals("42501", denied.getSQLState());
            String service = server.database().user() == null ? "postgres" : server.database().user();
            SQLException back = assertThrows(SQLException.class,
                    () -> Catalog.strings(session, "select set_config('role', '" + service + "', false)"));
            assertEquals("42501", back.getSQLState(), "no way back to the service's role from inside");
        }
    }

    @Test
    void credentialsAndOptionsInTheServiceUrlNeverReachASandboxSession() throws Exception {
        String base = server.database().jdbcUrl().replaceAll("\\?.*$", "");
        String service = server.database().user() == null ? "postgres" : server.database().user();
        String url = base + "?user=" + service + "&options=-c%20statement_timeout%3D0&ApplicationName=x";
        Sandboxes fromUrl = new Sandboxes(new SandboxServer(url, null, server.database().password(), Map.of(), Duration.ofSeconds(10)),
                SandboxSettings.defaults().withRole(TestSandboxes.ROLE));
        try (Sandbox sandbox = fromUrl.open()) {
            assertEquals(TestSandboxes.ROLE, Catalog.strings(sandbox.session(), "select session_user::text").get(0),
                    "pgjdbc prefers a URL's user to the session's own: it is taken out of the URL");
            assertEquals("5s", Catalog.strings(sandbox.session(), "show statement_timeout").get(0));
        }
    }

    @Test
    void aSandboxDatabaseAdmitsOnlyItsRoleAndTheService() throws Exception {
        String stranger = unique("mellon_stranger_");
        TestDatabase.onServer("CREATE ROLE " + stranger + " LOGIN");
        try (Sandbox sandbox = sandboxes.open()) {
            SQLException refused = assertThrows(SQLException.class,
                    () -> serverAs(stranger).connect(sandbox.database(), stranger, null, Map.of()).close());
            assertEquals("42501", refused.getSQLState(), refused.getMessage());
        } finally {
            TestDatabase.onServer("DROP ROLE IF EXISTS " + stranger);
        }
    }

    @Test
    void aConfiguredRoleThatHoldsPrivilegesIsRefusedNotUsed() {
        String privileged = unique("mellon_privileged_");
        TestDatabase.onServer("CREATE ROLE " + privileged + " LOGIN CREATEROLE");
        TestDatabase.onServer("GRANT pg_read_server_files TO " + privileged);
        try {
            SandboxSettings settings = new SandboxSettings(privileged, null, false, Duration.ofSeconds(5), Duration.ofSeconds(60),
                    Duration.ofSeconds(2), Duration.ofSeconds(10), 2, Duration.ofSeconds(1), 8);
            Sandboxes unmanaged = new Sandboxes(serverAs(server.database().user()), settings);
            SandboxUnavailableException e = assertThrows(SandboxUnavailableException.class, unmanaged::open);
            assertTrue(e.getMessage().contains("CREATEROLE") && e.getMessage().contains("pg_read_server_files"), e.getMessage());
        } finally {
            TestDatabase.onServer("DROP ROLE IF EXISTS " + privileged);
        }
    }

    @Test
    void aManagedRoleThatWasGivenPrivilegesIsMadeUnprivilegedAgain() throws Exception {
        String role = unique("mellon_regranted_");
        TestDatabase.onServer("CREATE ROLE " + role + " LOGIN CREATEDB CREATEROLE");
        try {
            Sandboxes managed = new Sandboxes(serverAs(server.database().user()), SandboxSettings.defaults().withRole(role));
            try (Sandbox sandbox = managed.open()) {
                assertEquals(0, Catalog.count(sandbox.session(), "select count(*) from pg_roles where rolname = session_user"
                        + " and (rolcreaterole or rolcreatedb)"));
            }
        } finally {
            TestDatabase.onServer("DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void theServicesOwnSuperuserLoginIsNeverASandbox() {
        String service = server.database().user() == null ? "postgres" : server.database().user();
        Sandboxes self = new Sandboxes(serverAs(server.database().user()), SandboxSettings.defaults().withRole(service));
        SandboxUnavailableException e = assertThrows(SandboxUnavailableException.class, self::open);
        assertTrue(e.getMessage().contains("SUPERUSER"), e.getMessage());
    }

    @Test
    void sandboxesBeyondTheCapWaitThenAreRefused() {
        Sandboxes one = TestSandboxes.on(server.database(), SandboxSettings.defaults().withLimits(1, Duration.ofMillis(200)));
        try (Sandbox held = one.open()) {
            long start = System.nanoTime();
            SandboxBusyException busy = assertThrows(SandboxBusyException.class, one::open);
            assertTrue((System.nanoTime() - start) / 1_000_000 >= 150, "it queued first");
            assertTrue(busy.retryAfter().toSeconds() > 0);
        }
        try (Sandbox again = one.open()) {
            assertTrue(again.database().startsWith(Sandboxes.PREFIX), "a closed sandbox frees its place");
        }
    }

    @Test
    void aSlowStatementIsCancelledAtTheSandboxLimit() {
        Sandboxes quick = TestSandboxes.on(server.database(), SandboxSettings.defaults().withStatementTimeout(Duration.ofSeconds(1)));
        Canonicalizer canonicalizer = new Canonicalizer(quick);
        long start = System.nanoTime();
        SandboxStatementException e = assertThrows(SandboxStatementException.class,
                () -> canonicalizer.fromSql("CREATE MATERIALIZED VIEW v AS SELECT 1 AS a FROM pg_sleep(30)"));
        assertEquals(SandboxStatementException.Kind.TIMED_OUT, e.kind());
        assertTrue((System.nanoTime() - start) / 1_000_000_000 < 10, "answered within seconds, not 30");
    }

    @Test
    void sweepDropsOnlyStaleIdleSandboxes() throws Exception {
        String stale = Sandboxes.PREFIX + "1000000000_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String legacy = "mellon_shadow_1000000000_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String young = Sandboxes.PREFIX + (System.currentTimeMillis() / 1000) + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        TestDatabase.onServer("CREATE DATABASE " + stale);
        TestDatabase.onServer("CREATE DATABASE " + legacy);
        TestDatabase.onServer("CREATE DATABASE " + young);
        try {
            List<String> dropped = sandboxes.sweep(60);
            assertTrue(dropped.contains(stale) && dropped.contains(legacy), dropped.toString());
            assertFalse(dropped.contains(young), dropped.toString());
            assertTrue(sandboxNames().contains(young));
        } finally {
            TestDatabase.onServer("DROP DATABASE IF EXISTS " + stale);
            TestDatabase.onServer("DROP DATABASE IF EXISTS " + legacy);
            TestDatabase.onServer("DROP DATABASE IF EXISTS " + young);
        }
    }

    @Test
    void withoutCreatedbTheComparisonFallsBackToTextualAndSaysSo() throws Exception {
        String role = unique("mellon_nocreatedb_");
        TestDatabase.onServer("CREATE ROLE " + role + " LOGIN NOCREATEDB");
        try {
            String url = server.database().jdbcUrl().replaceAll("\\?.*$", "");
            SchemaComparer comparer = new SchemaComparer(new Canonicalizer(TestSandboxes.as(url, role, null, SandboxSettings.defaults())));
            SchemaModel history = CanonicalDriftTest.model("check", "plan != 'enterprise'");
            try (TestDatabase database = TestDatabase.create("mellon_textual")) {
                SchemaModel live = CanonicalDriftTest.build(database.database(), history);
                SchemaPlan plan = comparer.plan(SchemaSource.postgres("database", live), SchemaSource.snapshot("migrations", history),
                        List.of(), SchemaComparer.Style.DRIZZLE);
                assertEquals("textual", plan.comparison());
                assertTrue(plan.warnings().get(0).contains("CREATEDB"), plan.warnings().toString());
                assertEquals(List.of(), plan.changes(), "the textual fallback still knows != and casts");
            }
        } finally {
            TestDatabase.onServer("DROP ROLE IF EXISTS " + role);
        }
    }
}
