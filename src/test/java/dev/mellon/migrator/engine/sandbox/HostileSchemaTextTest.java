package dev.mellon.migrator.engine.sandbox;

import dev.mellon.migrator.engine.schema.CanonicalDriftTest;
import dev.mellon.migrator.engine.schema.Canonicalizer;
import dev.mellon.migrator.engine.schema.CanonicalDriftTest;
import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.Index;
import dev.mellon.migrator.schema.Literal;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SchemaObjects;
import dev.mellon.migrator.schema.Table;
import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.TestDatabase;
import dev.mellon.migrator.testing.TestSandboxes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Schema text written to escape: DDL a caller sends and snapshots whose definitions, expressions, types and options
 * carry SQL of their own. The tests' login is a superuser (the worst case for a service). Each text must be refused or
 * contained: afterwards the cluster's roles, role settings and databases, the server's configuration, the target
 * database's catalog and rows and the file system are as they were, and the answer came within seconds.
 */
class HostileSchemaTextTest {

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(15);
    private static TestDatabase target;
    private static Canonicalizer canonicalizer;
    private static Path markers;

    @BeforeAll
    static void start() throws Exception {
        target = TestDatabase.create("mellon_hostile");
        try (Connection c = target.database().connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE victim (id int PRIMARY KEY, secret text)");
            st.execute("INSERT INTO victim VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        }
        Sandboxes sandboxes = TestSandboxes.on(target.database(), SandboxSettings.defaults().withStatementTimeout(Duration.ofSeconds(2)));
        sandboxes.login(); // the role is made once, before the first "before" is read
        canonicalizer = new Canonicalizer(sandboxes);
        markers = Files.createTempDirectory("mellon-hostile");
        markers.toFile().setWritable(true, false);
    }

    @AfterAll
    static void stop() {
        target.close();
    }

    /** What must not change, read with the service's own (superuser) login. */
    private static List<String> world() throws SQLException, java.io.IOException {
        List<String> out = new ArrayList<>();
        try (Connection c = target.database().connect()) {
            out.addAll(Catalog.strings(c, "select 'role ' || rolname || ' ' || rolsuper || rolcreaterole || rolcreatedb || rolcanlogin"
                    + " || rolreplication || rolbypassrls from pg_roles order by 1"));
            out.addAll(Catalog.strings(c, "select 'member ' || roleid::regrole::text || ' ' || member::regrole::text from pg_auth_members order by 1"));
            out.addAll(Catalog.strings(c, "select 'setting ' || setrole::text || ' ' || setdatabase::text || ' ' || array_to_string(setconfig, ',')"
                    + " from pg_db_role_setting order by 1"));
            out.addAll(Catalog.strings(c, "select 'auto.conf ' || name || '=' || coalesce(setting, '') from pg_file_settings"
                    + " where sourcefile like '%postgresql.auto.conf' order by 1"));
            // Other tests and tools may create databases on the shared server meanwhile: only the attacks' own names count.
            out.addAll(Catalog.strings(c, "select 'database ' || datname from pg_database where datname like 'mellon\\_pwned%' order by 1"));
            out.addAll(Catalog.strings(c, "select 'relation ' || oid::regclass::text || ' ' || relkind::text from pg_class"
                    + " where relnamespace = 'public'::regnamespace order by 1"));
            out.addAll(Catalog.strings(c, "select 'row ' || id || ' ' || secret from victim order by id"));
            out.addAll(Catalog.strings(c, "select 'comment ' || coalesce(shobj_description(oid, 'pg_database'), '') from pg_database"
                    + " where datname = current_database()"));
        }
        try (Stream<Path> files = Files.list(markers)) {
            files.forEach(f -> out.add("file " + f.getFileName()));
        }
        return out;
    }

    private static List<String> leftSandboxes() throws SQLException {
        try (Connection c = target.database().connect()) {
            return Catalog.strings(c, "select datname from pg_database where datname like 'mellon\\_sandbox\\_%'");
        }
    }

    /** A hostile text and how it is sent. */
    private record Attack(String name, Supplier<Object> send) {
    }

    private static Attack ddl(String name, String sql) {
        return new Attack("DDL: " + name, () -> canonicalizer.fromSql(sql.replace("MARKER", markers.resolve("pwned").toString())));
    }

    private static Attack snapshot(String name, Supplier<SchemaModel> model) {
        return new Attack("snapshot: " + name, () -> canonicalizer.canonical(model.get()));
    }

    private static Attack expression(String where, String text) {
        return snapshot(where + " " + text, () -> CanonicalDriftTest.model(where, text.replace("MARKER", markers.resolve("pwned").toString())));
    }

    private static SchemaModel withView(String definition, boolean materialized) {
        return new SchemaModel(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of("public.v",
                new SchemaObjects.View(Map.of(), definition.replace("MARKER", markers.resolve("pwned").toString()), "v", "public",
                        false, null, materialized, null, null, null)));
    }

    private static SchemaModel withColumn(Column column) {
        Map<String, Column> columns = new LinkedHashMap<>();
        columns.put(column.name(), column);
        return new SchemaModel(Map.of("public.t", new Table("t", "", columns, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(),
                Map.of(), false)), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
    }

    private static Column column(String name, String type, Literal defaultValue) {
        return new Column(name, type, null, false, false, defaultValue, null, null, null, null, null);
    }

    static List<Attack> attacks() {
        String escape = "); CREATE ROLE mellon_pwned NOLOGIN; SELECT (1";
        return List.of(
                // The four requests of the report, as snapshot views.
                snapshot("matview reading a file", () -> withView("SELECT pg_read_file('/etc/hostname')::int AS a", true)),
                snapshot("matview escaping to COPY TO PROGRAM", () -> withView(
                        "SELECT 1 AS a); COPY (SELECT 1) TO PROGRAM 'touch MARKER'; SELECT (1", true)),
                snapshot("matview escaping its transaction", () -> withView(
                        "SELECT 1 AS a); COMMIT; CREATE ROLE mellon_pwned NOLOGIN; SELECT (1", true)),
                snapshot("matview sleeping", () -> withView("SELECT 1 AS a FROM pg_sleep(30)", true)),
                snapshot("view escaping", () -> withView("SELECT 1 AS a" + escape, false)),
                snapshot("view calling set_config(role)", () -> withView("SELECT set_config('role', 'postgres', false) AS a", true)),
                snapshot("view with a huge generate_series", () -> withView("SELECT count(*) AS a FROM generate_series(1, 1e12)", true)),
                snapshot("view taking an advisory lock", () -> withView("SELECT pg_advisory_lock(42) AS a", true)),
                snapshot("view terminating backends", () -> withView(
                        "SELECT pg_terminate_backend(pid) AS a FROM pg_stat_activity WHERE pid <> pg_backend_pid()", true)),
                snapshot("view importing a large object", () -> withView("SELECT lo_import('/etc/hostname') AS a", true)),
                expression("check", "x > 0" + escape),
                expression("check", "x > 0); COPY (SELECT 1) TO PROGRAM 'touch MARKER'; SELECT (1"),
                expression("default", "0" + escape),
                expression("default", "pg_read_file('/etc/hostname')"),
                expression("default", "(SELECT count(*) FROM generate_series(1, 1e12))"),
                expression("where", "true" + escape),
                expression("generated", "x * 2) STORED); CREATE ROLE mellon_pwned; SELECT (1"),
                expression("policy", "true" + escape),
                expression("view", "select x from t" + escape),
                snapshot("column type escaping", () -> withColumn(column("a", "integer); CREATE ROLE mellon_pwned; SELECT (1", null))),
                snapshot("enum value with quotes", () -> new SchemaModel(Map.of(), Map.of("public.e", new SchemaObjects.EnumType("e",
                        "public", List.of("a'); CREATE ROLE mellon_pwned; SELECT ('"))), Map.of(), Map.of(), Map.of(), Map.of(), Map.of())),
                snapshot("table name with quotes", () -> new SchemaModel(Map.of("public.t", new Table("t\"; CREATE ROLE mellon_pwned; --",
                        "", Map.of("a", column("a", "integer", null)), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), false)),
                        Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of())),
                snapshot("sequence option escaping", () -> new SchemaModel(Map.of(), Map.of(), Map.of(), Map.of("public.s",
                        new SchemaObjects.Sequence("s", "public", "1; CREATE ROLE mellon_pwned", "1", "1", "100", "1", false)),
                        Map.of(), Map.of(), Map.of())),
                snapshot("index option escaping", () -> {
                    SchemaModel base = CanonicalDriftTest.model("none", "");
                    Table t = base.tables().get("public.t");
                    Map<String, Index> indexes = Map.of("i", new Index("i", List.of(new Index.IndexColumn("x", false, true, "last", null)),
                            false, null, false, "btree", Map.of("fillfactor", Literal.string("70); CREATE ROLE mellon_pwned; SELECT (1"))));
                    return new SchemaModel(Map.of("public.t", new Table(t.name(), t.schema(), t.columns(), indexes, t.foreignKeys(),
                            t.compositePrimaryKeys(), t.uniqueConstraints(), t.policies(), t.checkConstraints(), false)),
                            Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
                }),
                snapshot("foreign key action escaping", () -> {
                    SchemaModel base = CanonicalDriftTest.model("none", "");
                    Table t = base.tables().get("public.t");
                    Map<String, Constraints.ForeignKey> keys = Map.of("fk", new Constraints.ForeignKey("fk", "t", "t", null,
                            List.of("x"), List.of("x"), "cascade; CREATE ROLE mellon_pwned", "no action"));
                    return new SchemaModel(Map.of("public.t", new Table(t.name(), t.schema(), t.columns(), t.indexes(), keys,
                            t.compositePrimaryKeys(), t.uniqueConstraints(), t.policies(), t.checkConstraints(), false)),
                            Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
                }),
                // DDL a caller sends.
                ddl("COPY TO PROGRAM", "COPY (SELECT 1) TO PROGRAM 'touch MARKER'"),
                ddl("COMMIT escape", "CREATE TABLE x (a int); COMMIT; CREATE ROLE mellon_pwned NOLOGIN"),
                ddl("begin(atomic) escape", "CREATE TABLE begin(atomic int); COMMIT; CREATE ROLE mellon_pwned"),
                ddl("DO block", "DO $$ BEGIN EXECUTE 'CREATE ROLE mellon_pwned'; END $$"),
                ddl("CREATE ROLE", "CREATE ROLE mellon_pwned"),
                ddl("GRANT a predefined role", "GRANT pg_read_server_files TO CURRENT_USER"),
                ddl("ALTER ROLE", "ALTER ROLE CURRENT_USER SET statement_timeout = 0"),
                ddl("ALTER SYSTEM", "ALTER SYSTEM SET work_mem = '1GB'"),
                ddl("CREATE DATABASE", "CREATE DATABASE mellon_pwned"),
                ddl("SET ROLE", "SET ROLE postgres"),
                ddl("RESET ROLE", "RESET ROLE"),
                ddl("SET SESSION AUTHORIZATION", "SET SESSION AUTHORIZATION postgres"),
                ddl("SET statement_timeout", "SET statement_timeout = 0; CREATE MATERIALIZED VIEW v AS SELECT 1 AS a FROM pg_sleep(30)"),
                ddl("set_config timeout then sleep", "CREATE MATERIALIZED VIEW v AS SELECT set_config('statement_timeout', '0', false) AS a;"
                        + " CREATE MATERIALIZED VIEW w AS SELECT 1 AS a FROM pg_sleep(30)"),
                ddl("matview reading a file", "CREATE MATERIALIZED VIEW v AS SELECT pg_read_file('/etc/hostname')::int AS a"),
                ddl("matview importing a large object", "CREATE MATERIALIZED VIEW v AS SELECT lo_import('/etc/hostname') AS a"),
                ddl("matview calling set_config(role)", "CREATE MATERIALIZED VIEW v AS SELECT set_config('role', 'postgres', false) AS a"),
                ddl("matview terminating backends", "CREATE MATERIALIZED VIEW v AS SELECT pg_terminate_backend(pid) AS a"
                        + " FROM pg_stat_activity WHERE pid <> pg_backend_pid()"),
                ddl("matview taking an advisory lock", "CREATE MATERIALIZED VIEW v AS SELECT pg_advisory_lock(42) AS a"),
                ddl("dblink", "CREATE EXTENSION IF NOT EXISTS dblink"),
                ddl("file_fdw", "CREATE EXTENSION IF NOT EXISTS file_fdw"),
                ddl("CREATE TABLE AS a huge query", "CREATE TABLE t AS SELECT count(*) FROM generate_series(1, 1e12)"),
                ddl("huge generate_series in a default", "CREATE TABLE t (a int DEFAULT (SELECT count(*) FROM generate_series(1, 1e12)))"),
                ddl("function", "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'"),
                ddl("procedure with COMMIT", "CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$"),
                ddl("event trigger", "CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION pg_catalog.now()"),
                ddl("SELECT", "SELECT pg_sleep(30)"),
                ddl("INSERT", "CREATE TABLE t (a int); INSERT INTO t SELECT generate_series(1, 1000)"),
                ddl("VACUUM", "VACUUM"),
                ddl("LISTEN and NOTIFY", "LISTEN mellon; NOTIFY mellon"),
                ddl("LOAD", "LOAD 'plpgsql'"),
                ddl("schema owned by the service", "CREATE SCHEMA s AUTHORIZATION postgres"),
                ddl("table given to the service", "CREATE TABLE t (a int); ALTER TABLE t OWNER TO postgres"),
                ddl("table in a global tablespace", "CREATE TABLE t (a int) TABLESPACE pg_global"),
                ddl("comment on the target database", "COMMENT ON DATABASE " + "\"" + target.database().name() + "\" IS 'pwned'"),
                ddl("PREPARE TRANSACTION", "BEGIN; CREATE TABLE t (a int); PREPARE TRANSACTION 'mellon'"),
                ddl("REASSIGN OWNED", "REASSIGN OWNED BY CURRENT_USER TO postgres"),
                ddl("publication", "CREATE PUBLICATION p FOR ALL TABLES"),
                ddl("index on a file read", "CREATE TABLE t (a text); CREATE INDEX i ON t ((pg_read_file('/etc/passwd')))"));
    }

    @TestFactory
    Stream<DynamicTest> everyHostileTextIsRefusedOrContained() throws Exception {
        List<Attack> attacks = attacks();
        assertTrue(attacks.size() >= 40, "at least 40 hostile texts: " + attacks.size());
        return attacks.stream().map(attack -> DynamicTest.dynamicTest(attack.name(), () -> {
            List<String> before = world();
            long start = System.nanoTime();
            String outcome;
            try {
                attack.send().get();
                outcome = "contained";
            } catch (SandboxStatementException e) {
                outcome = e.kind().name();
                assertFalse(e.getMessage().contains(readHostname()), "nothing the statement read leaks into the message: " + e.getMessage());
            } catch (SandboxUnavailableException e) {
                outcome = "unavailable";
            } catch (RuntimeException e) {
                fail("an unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
                return;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(ANSWER_WITHIN) < 0, attack.name() + " took " + took);
            assertEquals(before, world(), attack.name() + " (" + outcome + ") changed something outside its sandbox");
            assertEquals(List.of(), leftSandboxes(), "its sandbox was dropped");
            try (Connection c = target.database().connect()) {
                assertEquals(3, Catalog.count(c, "select count(*) from victim"), "the service's own session still works");
            }
        }));
    }

    private static String readHostname() {
        try {
            return Files.readString(Path.of("/etc/hostname")).strip();
        } catch (Exception e) {
            return UUID.randomUUID().toString();
        }
    }
}
