package dev.mellon.migrator.testing;

import dev.mellon.migrator.engine.sandbox.SandboxServer;
import dev.mellon.migrator.engine.sandbox.SandboxSettings;
import dev.mellon.migrator.engine.sandbox.Sandboxes;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Sandboxes for the tests: every sandbox of this JVM (the engine tests' and the application's) runs as one role made
 * for this run, which the service creates on first use and the JVM drops when it exits.
 */
public final class TestSandboxes {

    /** The sandbox role of this test run. */
    public static final String ROLE = "mellon_sandbox_t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestSandboxes::dropAll));
    }

    private TestSandboxes() {
    }

    /**
     * Drops what sandboxes leave on purpose (kept replays, which hold objects of the role) and then the role. The
     * server may be gone already (an embedded one stops on its own hook), and all of it with it.
     */
    static void dropAll() {
        try {
            for (String database : TestDatabase.namesOnServer("mellon\\_replay\\_%")) {
                TestDatabase.onServer("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
            }
            TestDatabase.onServer("DROP ROLE IF EXISTS " + ROLE);
        } catch (RuntimeException e) {
            // nothing left to clean
        }
    }

    /** Sandboxes on the server of {@code db}, made by its login (the tests' superuser, the worst case). */
    public static Sandboxes on(TestDatabase.Database db) {
        return as(db.jdbcUrl(), db.user(), db.password(), SandboxSettings.defaults());
    }

    public static Sandboxes on(TestDatabase.Database db, SandboxSettings settings) {
        return as(db.jdbcUrl(), db.user(), db.password(), settings);
    }

    /** Generate's proof on these sandboxes: new SQL applied to a replay of the folder (no target extensions). */
    public static dev.mellon.migrator.engine.schema.MigrationVerifier verifier(Sandboxes sandboxes) {
        return new dev.mellon.migrator.engine.schema.ReplayVerifier(new dev.mellon.migrator.engine.schema.HistoryReplay(sandboxes,
                dev.mellon.migrator.engine.history.TrackingTable.defaults(), 2), java.util.List::of);
    }

    /** Sandboxes made by another login on that server. */
    public static Sandboxes as(String jdbcUrl, String user, String password, SandboxSettings settings) {
        return new Sandboxes(new SandboxServer(jdbcUrl, user, password, Map.of(), Duration.ofSeconds(10)), settings.withRole(ROLE));
    }
}
