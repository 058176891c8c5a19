package dev.mellon.migrator.engine;

import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shadow databases come and go: dropped after use and after failure, swept when stale, and never required. */
class ShadowDatabasesTest {

    private static TestDatabase server;
    private static ShadowDatabases shadows;

    @BeforeAll
    static void start() {
        server = TestDatabase.create("mellon_shadows");
        TestDatabase.Database db = server.database();
        shadows = new ShadowDatabases(db.jdbcUrl(), db.user(), db.password());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Our own shadow databases are recognisable by the session that made them: count them by name on the server. */
    static List<String> shadowNames() throws Exception {
        try (Connection c = server.database().connect()) {
            return Catalog.strings(c, "select datname from pg_database where datname like 'mellon\\_shadow\\_%' order by 1");
        }
    }

    @Test
    void aShadowIsDroppedWhenClosedAndWhenTheSqlFails() throws Exception {
        String name;
        try (ShadowDatabases.Shadow shadow = shadows.open()) {
            name = shadow.name();
            assertTrue(shadowNames().contains(name));
        }
        assertTrue(!shadowNames().contains(name), "closed shadow " + name + " is gone");
        List<String> before = shadowNames();
        Canonicalizer canonicalizer = new Canonicalizer(shadows);
        assertThrows(InvalidSchemaSqlException.class, () -> canonicalizer.fromSql("CREATE TABLE t (id nonsense_type)"));
        assertEquals(before, shadowNames(), "the failed request's shadow database was dropped");
    }

    @Test
    void sweepDropsOnlyStaleIdleShadows() throws Exception {
        String stale = ShadowDatabases.PREFIX + "1000000000_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String young = ShadowDatabases.PREFIX + (System.currentTimeMillis() / 1000) + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        TestDatabase.onServer("CREATE DATABASE " + stale);
        TestDatabase.onServer("CREATE DATABASE " + young);
        try {
            List<String> dropped = shadows.sweep(60);
            assertTrue(dropped.contains(stale), dropped.toString());
            assertTrue(!dropped.contains(young), dropped.toString());
            assertTrue(shadowNames().contains(young));
        } finally {
            TestDatabase.onServer("DROP DATABASE IF EXISTS " + stale);
            TestDatabase.onServer("DROP DATABASE IF EXISTS " + young);
        }
    }

    @Test
    void withoutCreatedbTheComparisonFallsBackToTextualAndSaysSo() throws Exception {
        String role = "mellon_nocreatedb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        TestDatabase.onServer("CREATE ROLE " + role + " LOGIN NOCREATEDB");
        try {
            String url = server.database().jdbcUrl().replaceAll("\\?.*$", "");
            SchemaComparer comparer = new SchemaComparer(new Canonicalizer(new ShadowDatabases(url, role, null)));
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

    @Test
    void submittedSqlLeavesNothingBehindAndCannotLeaveItsTransaction() throws Exception {
        Canonicalizer canonicalizer = new Canonicalizer(shadows);
        String role = "mellon_leak_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        SchemaModel model = canonicalizer.fromSql("CREATE ROLE " + role + "; CREATE TABLE t (id int)");
        assertTrue(model.tables().containsKey("public.t"));
        try (Connection c = server.database().connect()) {
            assertEquals(List.of(), Catalog.strings(c, "select rolname from pg_roles where rolname = '" + role + "'"),
                    "a role made by submitted SQL is rolled back with the shadow transaction");
        }
        InvalidSchemaSqlException escape = assertThrows(InvalidSchemaSqlException.class,
                () -> canonicalizer.fromSql("CREATE TABLE t (id int); COMMIT; CREATE ROLE " + role));
        assertTrue(escape.getMessage().contains("transactions"), escape.getMessage());
        InvalidSchemaSqlException database = assertThrows(InvalidSchemaSqlException.class,
                () -> canonicalizer.fromSql("CREATE DATABASE mellon_should_not_exist"));
        assertEquals("25001", database.sqlState());
    }
}
