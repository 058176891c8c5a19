package dev.mellon.migrator.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Gives the application under {@code @QuarkusTest} a database of its own on the test server. Registered globally
 * (see {@link GlobalTestResources}), so one application instance serves every test class.
 */
public class TestDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private TestDatabase database;

    @Override
    public Map<String, String> start() {
        database = TestDatabase.create("mellon_app");
        TestDatabase.Database db = database.database();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", db.jdbcUrl());
        if (db.user() != null) {
            config.put("quarkus.datasource.username", db.user());
        }
        if (db.password() != null) {
            config.put("quarkus.datasource.password", db.password());
        }
        config.put("migrator.sandbox.role", TestSandboxes.ROLE);
        return config;
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }
}
