package dev.mellon.migrator.engine;

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
    void shadowSessionsCarryTheExtraPropertiesButNoIdleLimit() throws Exception {
        try (TestDatabase database = TestDatabase.create("mellon_sessions")) {
            TestDatabase.Database db = database.database();
            ShadowDatabases shadows = new ShadowDatabases(db.jdbcUrl(), db.user(), db.password(),
                    Map.of("options", "-c statement_timeout=4321"));
            try (ShadowDatabases.Shadow shadow = shadows.open()) {
                assertEquals("4321ms", show(shadow.connection(), "statement_timeout"));
                assertEquals("0", show(shadow.connection(), "idle_in_transaction_session_timeout"));
            }
        }
    }
}
