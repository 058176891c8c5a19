package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.testing.TestSandboxes;
import dev.mellon.migrator.ddl.CreateScript;
import dev.mellon.migrator.introspect.IntrospectOptions;
import dev.mellon.migrator.introspect.Introspector;
import dev.mellon.migrator.schema.Column;
import dev.mellon.migrator.schema.Constraints;
import dev.mellon.migrator.schema.Index;
import dev.mellon.migrator.schema.Literal;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SchemaObjects;
import dev.mellon.migrator.schema.Table;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A snapshot spells an expression as drizzle-kit wrote it; PostgreSQL stores and prints it its own way. The
 * database below is built from the snapshot's own DDL, so it matches its history exactly: the canonical comparison
 * (through a shadow database) must find no drift, and a real change of the expression must still be found.
 */
public class CanonicalDriftTest {

    private static TestDatabase server;
    private static SchemaComparer comparer;

    @BeforeAll
    static void start() {
        server = TestDatabase.create("mellon_canonical");
        TestDatabase.Database db = server.database();
        comparer = new SchemaComparer(new Canonicalizer(TestSandboxes.on(db)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A table {@code t(plan text, x integer, at timestamptz, active boolean)} with one expression at {@code where}. */
    public static SchemaModel model(String where, String expression) {
        Map<String, Column> columns = new LinkedHashMap<>();
        columns.put("plan", Column.of("plan", "text", false));
        columns.put("x", Column.of("x", "integer", false));
        columns.put("active", Column.of("active", "boolean", false));
        Literal atDefault = where.equals("default") ? Literal.string(expression) : null;
        columns.put("at", new Column("at", "timestamp with time zone", null, false, false, atDefault, null, null, null, null, null));
        columns.put("g", new Column("g", "integer", null, false, false, null,
                where.equals("generated") ? new Column.Generated(expression, "stored") : null, null, null, null, null));
        Map<String, Constraints.Check> checks = where.equals("check")
                ? Map.of("t_check", new Constraints.Check("t_check", expression)) : Map.of();
        Map<String, Index> indexes = where.equals("where") ? Map.of("t_idx", new Index("t_idx",
                List.of(new Index.IndexColumn("x", false, true, "last", null)), false, expression, false, "btree", Map.of())) : Map.of();
        Map<String, Constraints.Policy> policies = where.equals("policy") ? Map.of("p", new Constraints.Policy("p", "PERMISSIVE",
                "SELECT", List.of("public"), expression, null, null, null)) : Map.of();
        Table t = new Table("t", "", columns, indexes, Map.of(), Map.of(), Map.of(), policies, checks, false);
        Map<String, SchemaObjects.View> views = where.equals("view") ? Map.of("public.v", new SchemaObjects.View(Map.of(), expression,
                "v", "public", false, null, false, null, null, null)) : Map.of();
        return new SchemaModel(Map.of("public.t", t), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), views);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "default   | now() + interval '30 days'                 | now() + interval '31 days'",
            "default   | CURRENT_TIMESTAMP                          | now() - interval '1 hour'",
            "default   | date_trunc('day', now())                   | date_trunc('hour', now())",
            "check     | x BETWEEN 3 AND 320                        | x BETWEEN 3 AND 321",
            "check     | plan != 'enterprise'                       | plan != 'business'",
            "check     | plan IN ('free', 'pro')                    | plan IN ('free', 'team')",
            "check     | plan NOT IN ('a', 'b')                     | plan NOT IN ('a', 'c')",
            "check     | \"t\".\"x\" >= 0 AND \"t\".\"x\" < 10       | \"t\".\"x\" >= 0 AND \"t\".\"x\" < 11",
            "check     | coalesce(x, 0) > -1                        | coalesce(x, 1) > -1",
            "check     | length(plan) > 2 OR plan IS NULL           | length(plan) > 3 OR plan IS NULL",
            "check     | x::numeric / 2 < 100.5                     | x::numeric / 2 < 100.25",
            "check     | NOT active OR x > 0                        | NOT active OR x > 1",
            "where     | active                                     | NOT active",
            "where     | \"t\".\"plan\" <> 'free' AND x IS NOT NULL  | \"t\".\"plan\" <> 'pro' AND x IS NOT NULL",
            "where     | x BETWEEN 1 AND 5                          | x BETWEEN 1 AND 6",
            "generated | x * 2 + 1                                  | x * 2 + 2",
            "generated | CASE WHEN x > 0 THEN 1 ELSE 0 END           | CASE WHEN x > 0 THEN 1 ELSE -1 END",
            "policy    | plan = current_user                        | plan <> current_user",
            "policy    | x BETWEEN 1 AND 10                         | x BETWEEN 1 AND 11",
            "view      | select x from t where plan != 'free'       | select x from t where plan != 'pro'",
            "view      | select plan, count(*) from t group by plan | select plan, count(*) as n from t group by plan",
            "view      | SELECT * FROM t WHERE x BETWEEN 3 AND 320  | SELECT * FROM t WHERE x BETWEEN 3 AND 321"})
    void noPhantomDriftAndRealChangesFound(String where, String written, String changed) throws Exception {
        SchemaModel history = model(where, written);
        try (TestDatabase database = TestDatabase.create("mellon_canon")) {
            SchemaModel live = build(database.database(), history);
            SchemaPlan drift = comparer.plan(SchemaSource.postgres("database", live), SchemaSource.snapshot("migrations", history),
                    List.of(), SchemaComparer.Style.DRIZZLE);
            assertEquals("canonical", drift.comparison());
            assertEquals(List.of(), drift.changes(), "phantom drift for " + written);
            SchemaPlan real = comparer.plan(SchemaSource.postgres("database", live),
                    SchemaSource.snapshot("migrations", model(where, changed)), List.of(), SchemaComparer.Style.DRIZZLE);
            assertFalse(real.changes().isEmpty(), "a real change from " + written + " to " + changed + " went unseen");
        }
    }

    /** The database drizzle's migrate would leave: the snapshot's own CREATE script, run as written. */
    public static SchemaModel build(TestDatabase.Database db, SchemaModel model) throws Exception {
        try (Connection c = db.connect()) {
            for (String sql : CreateScript.statements(model)) {
                try (Statement st = c.createStatement()) {
                    st.execute(sql);
                }
            }
            return new Introspector().introspect(c, IntrospectOptions.all()).schema();
        }
    }
}
