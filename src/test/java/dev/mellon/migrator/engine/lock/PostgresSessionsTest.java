package dev.mellon.migrator.engine.lock;

import dev.mellon.migrator.testing.Catalog;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The engine's own sessions get the datasource's driver properties and the settings that bound a dead peer. */
class PostgresSessionsTest {

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void applySessionsCarryTheExtraPropertiesAndTheTimeouts() throws Exception {
        try (TestDatabase database = TestDatabase.create("mellon_sessions")) {
            TestDatabase.Database db = database.database();
            SessionSettings settings = new SessionSettings(
                    Map.of("options", "-c statement_timeout=1234", "ApplicationName", "overridden"),
                    Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(45));
            try (Connection session = PostgresSessions.simpleProtocol(db.jdbcUrl(), db.user(), db.password(), settings).open();
                 Connection observer = db.connect()) {
                assertEquals("1234ms", show(session, "statement_timeout"));
                assertEquals("45s", show(session, "idle_in_transaction_session_timeout"));
                assertEquals("30", show(session, "tcp_keepalives_idle"));
                int pid = (int) Catalog.count(session, "select pg_backend_pid()");
                // The lock inspection finds appliers by name, so ours wins over a datasource-wide ApplicationName.
                assertEquals(1, Catalog.count(observer, "select count(*) from pg_stat_activity where pid = " + pid
                        + " and application_name = 'mellon-migrator'"));
            }
        }
    }

    @Test
    void sandboxSessionsKeepTheExtraPropertiesAndTheirOwnTimeoutsOnTop() throws Exception {
        try (TestDatabase database = TestDatabase.create("mellon_sessions")) {
            TestDatabase.Database db = database.database();
            dev.mellon.migrator.engine.sandbox.Sandboxes sandboxes = new dev.mellon.migrator.engine.sandbox.Sandboxes(
                    new dev.mellon.migrator.engine.sandbox.SandboxServer(db.jdbcUrl(), db.user(), db.password(),
                            Map.of("options", "-c statement_timeout=4321 -c work_mem=8MB"), Duration.ofSeconds(10)),
                    dev.mellon.migrator.engine.sandbox.SandboxSettings.defaults().withRole(dev.mellon.migrator.testing.TestSandboxes.ROLE));
            try (dev.mellon.migrator.engine.sandbox.Sandbox sandbox = sandboxes.open()) {
                assertEquals("8MB", show(sandbox.session(), "work_mem"), "the datasource's own options reach the sandbox");
                assertEquals("5s", show(sandbox.session(), "statement_timeout"), "the sandbox's limit wins over the datasource's");
                assertEquals("10s", show(sandbox.session(), "idle_in_transaction_session_timeout"));
                assertEquals(dev.mellon.migrator.testing.TestSandboxes.ROLE, show(sandbox.session(), "session_authorization"));
            }
        }
    }
}
