package dev.mellon.migrator.acceptance;

import dev.mellon.migrator.introspect.IntrospectOptions;
import dev.mellon.migrator.introspect.Introspector;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.testing.TestDatabase;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Two real databases, A and B, reused across cases: each case resets them, builds its old schema in A and its new
 * schema in B. Resetting drops every user schema, which is much cheaper than a new database per case.
 */
final class SchemaPair implements AutoCloseable {

    private final TestDatabase a = TestDatabase.create("mellon_case_a");
    private final TestDatabase b = TestDatabase.create("mellon_case_b");
    private final Connection ca;
    private final Connection cb;

    SchemaPair() throws SQLException {
        ca = a.database().connect();
        cb = b.database().connect();
    }

    Connection a() {
        return ca;
    }

    Connection b() {
        return cb;
    }

    TestDatabase.Database databaseA() {
        return a.database();
    }

    void reset() throws SQLException {
        reset(ca);
        reset(cb);
    }

    private static void reset(Connection c) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (Statement st = c.createStatement();
             var rs = st.executeQuery("select nspname from pg_namespace where nspname !~ '^pg_' and nspname <> 'information_schema'")) {
            while (rs.next()) {
                schemas.add(rs.getString(1));
            }
        }
        try (Statement st = c.createStatement()) {
            for (String s : schemas) {
                st.execute("DROP SCHEMA \"" + s.replace("\"", "\"\"") + "\" CASCADE");
            }
            st.execute("CREATE SCHEMA public");
        }
    }

    static void run(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static SchemaModel introspect(Connection c) throws SQLException {
        return new Introspector().introspect(c, IntrospectOptions.all()).schema();
    }

    @Override
    public void close() throws SQLException {
        ca.close();
        cb.close();
        a.close();
        b.close();
    }
}
