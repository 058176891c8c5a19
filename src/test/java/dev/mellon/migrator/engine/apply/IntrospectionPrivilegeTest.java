package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.InsufficientPrivilegeException;
import dev.mellon.migrator.engine.core.RunContext;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.lock.PostgresSessions;
import dev.mellon.migrator.engine.schema.SchemaInspector;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.schema.NameFilter;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A role that may not read part of the catalog, or create the tracking schema, gets a clear refusal. */
class IntrospectionPrivilegeTest {

    @Test
    void catalogTheRoleCannotReadIsReportedAsAPermissionProblem() throws Exception {
        String role = "mellon_ro_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (TestDatabase database = TestDatabase.create("mellon_priv")) {
            TestDatabase.Database db = database.database();
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE ROLE " + role + " LOGIN");
                // Only this database's catalog copy is changed; the database is dropped afterwards.
                st.execute("REVOKE SELECT ON pg_catalog.pg_policies FROM PUBLIC");
            }
            try {
                PGSimpleDataSource restricted = new PGSimpleDataSource();
                restricted.setUrl(db.jdbcUrl());
                restricted.setUser(role);
                SchemaInspector inspector = new SchemaInspector(SchemaDriftTest.FEATURES, new FolderReader(), restricted,
                        TrackingTable.defaults());
                InsufficientPrivilegeException e = assertThrows(InsufficientPrivilegeException.class,
                        () -> inspector.introspect(NameFilter.all(), NameFilter.all()));
                assertTrue(e.getMessage().contains("permission denied"), e.getMessage());

                // The same role may not create drizzle's tracking schema either: a refusal, never "unavailable".
                Migrator migrator = new Migrator(SchemaDriftTest.FEATURES, new FolderReader(), restricted,
                        // Without the URL's query: the embedded server's URL carries user=postgres, which would win.
                        PostgresSessions.simpleProtocol(db.jdbcUrl().replaceAll("\\?.*$", ""), role, null), TrackingTable.defaults());
                InsufficientPrivilegeException apply = assertThrows(InsufficientPrivilegeException.class,
                        () -> migrator.apply(ApplyOptions.defaults(), RunContext.of("test")));
                assertTrue(apply.getMessage().contains("lacks a privilege"), apply.getMessage());
            } finally {
                database.close();
                TestDatabase.onServer("DROP ROLE IF EXISTS " + role);
            }
        }
    }
}
