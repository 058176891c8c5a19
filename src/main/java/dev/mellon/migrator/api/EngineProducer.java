package dev.mellon.migrator.api;

import dev.mellon.migrator.config.DatabaseUrl;
import dev.mellon.migrator.config.MigratorConfig;
import dev.mellon.migrator.config.RunMode;
import java.time.Duration;
import dev.mellon.migrator.engine.schema.Canonicalizer;
import dev.mellon.migrator.engine.edit.Baseliner;
import dev.mellon.migrator.engine.generate.Generator;
import dev.mellon.migrator.engine.schema.MigrationVerifier;
import dev.mellon.migrator.engine.edit.HistoryRecorder;
import dev.mellon.migrator.engine.gate.VersionGate;
import dev.mellon.migrator.engine.generate.Pusher;
import dev.mellon.migrator.engine.generate.Rebaser;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.sandbox.SandboxServer;
import dev.mellon.migrator.engine.sandbox.SandboxSettings;
import dev.mellon.migrator.engine.sandbox.Sandboxes;
import dev.mellon.migrator.engine.schema.HistoryCheck;
import dev.mellon.migrator.engine.schema.SchemaViewer;
import dev.mellon.migrator.engine.upgrade.TrackingUpgrader;
import dev.mellon.migrator.engine.upgrade.Upgrader;
import dev.mellon.migrator.engine.schema.HistoryReplay;
import dev.mellon.migrator.engine.schema.ReplayVerifier;
import dev.mellon.migrator.engine.schema.SnapshotAudit;
import dev.mellon.migrator.engine.schema.SchemaDiffs;
import dev.mellon.migrator.schema.SnapshotCodec;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import java.time.Clock;
import java.util.List;
import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.engine.lock.PostgresSessions;
import dev.mellon.migrator.engine.schema.SchemaInspector;
import dev.mellon.migrator.engine.lock.SessionSettings;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.folder.FolderCache;
import dev.mellon.migrator.folder.FolderReader;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Builds the engine from configuration: the only place where the framework meets the library. */
@ApplicationScoped
public class EngineProducer {

    @Produces
    @ApplicationScoped
    Migrator migrator(MigratorConfig config, AgroalDataSource pool, FolderCache folder,
                      @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> jdbcUrl,
                      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
                      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        TrackingTable tracking = tracking(config);
        // Optional, so that a missing URL reaches StartupGuard's clear message instead of a config injection error.
        DatabaseUrl direct = direct(config, jdbcUrl, user, password);
        SessionSettings settings = new SessionSettings(datasourceDriverProperties(ConfigProvider.getConfig()),
                config.apply().connectTimeout(), config.apply().socketTimeout(), config.apply().idleInTransactionTimeout());
        return new Migrator(folder, pool,
                PostgresSessions.keptBetweenRuns(direct.jdbcUrl(), direct.user(), direct.password(), settings,
                        RunMode.cli() ? Duration.ZERO : config.apply().sessionKeep()), tracking,
                config.maxWaiters(), new dev.mellon.migrator.engine.apply.ApplyOptions.Timeouts(config.apply().lockTimeout(),
                        config.apply().statementTimeout()));
    }

    /**
     * The parsed folder, shared by every request. The service watches the folder so that reads between changes cost
     * no file access; one CLI command reads it once and needs no watcher thread.
     */
    @Produces
    @ApplicationScoped
    FolderCache folderCache(MigratorConfig config) {
        Path folder = Path.of(config.folder());
        return RunMode.cli() ? FolderCache.verifying(new FolderReader(), folder)
                : FolderCache.watching(new FolderReader(), folder);
    }

    void closeFolderCache(@jakarta.enterprise.inject.Disposes FolderCache cache) {
        cache.close();
    }

    private static final String DRIVER_PROPERTIES = "quarkus.datasource.jdbc.additional-jdbc-properties.";

    /**
     * The datasource's extra pgjdbc properties (SSL files, {@code options}, ...), which the engine's own unpooled
     * sessions must share with the pool: otherwise an apply would connect differently from every read.
     */
    static Map<String, String> datasourceDriverProperties(Config config) {
        Map<String, String> properties = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(DRIVER_PROPERTIES)) {
                String key = name.substring(DRIVER_PROPERTIES.length());
                if (key.length() > 1 && key.startsWith("\"") && key.endsWith("\"")) {
                    key = key.substring(1, key.length() - 1);
                }
                String finalKey = key;
                config.getOptionalValue(name, String.class).ifPresent(value -> properties.put(finalKey, value));
            }
        }
        return properties;
    }

    @Produces
    @ApplicationScoped
    Baseliner baseliner(Migrator migrator, SchemaDiffs diffs) {
        return new Baseliner(migrator, diffs);
    }

    @Produces
    @ApplicationScoped
    HistoryRecorder historyRecorder(Migrator migrator) {
        return new HistoryRecorder(migrator);
    }

    @Produces
    @ApplicationScoped
    VersionGate versionGate(Migrator migrator, MigratorConfig config,
                            @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> jdbcUrl,
                            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
                            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        DatabaseUrl direct = direct(config, jdbcUrl, user, password);
        return new VersionGate(migrator, PostgresSessions.simpleProtocol(direct.jdbcUrl(), direct.user(), direct.password()));
    }

    void closeVersionGate(@jakarta.enterprise.inject.Disposes VersionGate gate) {
        gate.close();
    }

    @Produces
    @ApplicationScoped
    SchemaInspector schemaInspector(MigratorConfig config, AgroalDataSource pool) {
        return new SchemaInspector(Path.of(config.folder()), new FolderReader(), pool, tracking(config));
    }

    @Produces
    @ApplicationScoped
    Sandboxes sandboxes(MigratorConfig config,
                        @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> jdbcUrl,
                        @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
                        @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        MigratorConfig.Sandbox sandbox = config.sandbox();
        SandboxSettings settings = new SandboxSettings(sandbox.role(), sandbox.password().orElse(null), sandbox.manageRole(),
                sandbox.statementTimeout(), sandbox.replayTimeout(), sandbox.lockTimeout(), sandbox.idleTimeout(),
                sandbox.maxConcurrent(), sandbox.queueWait(), sandbox.connectionLimit());
        if (config.shadowUrl().isPresent()) {
            // Another server, maybe: its own URL's parameters say how to reach it, not the target's driver properties.
            DatabaseUrl shadow = DatabaseUrl.parse(config.shadowUrl().get());
            return new Sandboxes(new SandboxServer(shadow.jdbcUrl(), shadow.user(), shadow.password(), Map.of(),
                    config.apply().connectTimeout()), settings);
        }
        return new Sandboxes(new SandboxServer(jdbcUrl.orElseThrow(() -> new IllegalStateException("No database configured: set DATABASE_URL")),
                user.orElse(null), password.orElse(null), datasourceDriverProperties(ConfigProvider.getConfig()),
                config.apply().connectTimeout()), settings);
    }

    @Produces
    @ApplicationScoped
    Canonicalizer canonicalizer(Sandboxes sandboxes) {
        return new Canonicalizer(sandboxes);
    }

    @Produces
    @ApplicationScoped
    HistoryReplay historyReplay(Sandboxes sandboxes, MigratorConfig config) {
        return new HistoryReplay(sandboxes, tracking(config), config.sandbox().replayKeep());
    }

    @Produces
    @ApplicationScoped
    SchemaDiffs schemaDiffs(Migrator migrator, SchemaInspector inspector, SchemaComparer comparer, Canonicalizer canonicalizer,
                            HistoryReplay replay, AgroalDataSource pool, MigratorConfig config) {
        return new SchemaDiffs(migrator, inspector, comparer, canonicalizer, config.sandbox().replay() ? replay : null, pool);
    }

    /**
     * The folder check. Its snapshot audit needs sandboxes, so a database server: without one (a command-line check of
     * a folder alone) it runs without the audit and says so.
     */
    @Produces
    @ApplicationScoped
    HistoryCheck historyCheck(MigratorConfig config, jakarta.enterprise.inject.Instance<Sandboxes> sandboxes,
                              jakarta.enterprise.inject.Instance<SchemaInspector> inspector,
                              jakarta.enterprise.inject.Instance<AgroalDataSource> pool,
                              jakarta.enterprise.inject.Instance<TrackingUpgrader> upgrader,
                              @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> jdbcUrl) {
        boolean server = jdbcUrl.isPresent() || config.shadowUrl().isPresent();
        SnapshotAudit audit = server && config.sandbox().replay()
                ? new SnapshotAudit(sandboxes.get(), tracking(config), new FolderReader(), new SnapshotCodec()) : null;
        return new HistoryCheck(Path.of(config.folder()), new FolderReader(), new SnapshotCodec(), audit,
                () -> inspector.get().extensions(), jdbcUrl.isPresent() ? pool.get() : null,
                () -> upgrader.get().findings());
    }

    @Produces
    @ApplicationScoped
    SchemaViewer schemaViewer(SchemaInspector inspector, SchemaDiffs diffs, Migrator migrator) {
        return new SchemaViewer(inspector, diffs, migrator::currentFolder);
    }

    @Produces
    @ApplicationScoped
    TrackingUpgrader trackingUpgrader(Migrator migrator) {
        return new TrackingUpgrader(migrator);
    }

    @Produces
    @ApplicationScoped
    Upgrader upgrader(Migrator migrator, TrackingUpgrader tracking) {
        return new Upgrader(migrator, tracking);
    }

    @Produces
    @ApplicationScoped
    SchemaComparer schemaComparer(Canonicalizer canonicalizer) {
        return new SchemaComparer(canonicalizer);
    }

    @Produces
    @ApplicationScoped
    Generator generator(MigratorConfig config, SchemaComparer comparer, Canonicalizer canonicalizer, MigrationVerifier verifier) {
        // The command line writes as drizzle-kit generate does; the service only where configured to.
        return new Generator(Path.of(config.folder()), new FolderReader(), new SnapshotCodec(), comparer, canonicalizer,
                verifier, config.generate().write() || RunMode.cli(), Clock.systemUTC());
    }

    /** Generate and rebase prove new SQL on a replay of the folder, with the target's extensions where it has any. */
    @Produces
    @ApplicationScoped
    MigrationVerifier verifier(MigratorConfig config, jakarta.enterprise.inject.Instance<HistoryReplay> replay,
                               jakarta.enterprise.inject.Instance<SchemaInspector> inspector,
                               @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> jdbcUrl) {
        if (jdbcUrl.isEmpty() && config.shadowUrl().isEmpty()) {
            return MigrationVerifier.unavailable("no database server to replay the folder on (set DATABASE_URL)");
        }
        if (!config.sandbox().replay()) {
            return MigrationVerifier.unavailable("replay is turned off (migrator.sandbox.replay=false)");
        }
        return new ReplayVerifier(replay.get(), () -> inspector.get().extensions());
    }

    @Produces
    @ApplicationScoped
    Pusher pusher(Migrator migrator, SchemaComparer comparer, Canonicalizer canonicalizer) {
        return new Pusher(migrator, comparer, canonicalizer, new SnapshotCodec());
    }

    @Produces
    @ApplicationScoped
    Rebaser rebaser(MigratorConfig config, Migrator migrator, SchemaComparer comparer, MigrationVerifier verifier) {
        return new Rebaser(migrator, new FolderReader(), new SnapshotCodec(), comparer, verifier, config.generate().write(),
                Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    dev.mellon.migrator.engine.rollback.Rollbacker rollbacker(Migrator migrator, SchemaComparer comparer) {
        return new dev.mellon.migrator.engine.rollback.Rollbacker(migrator, new FolderReader(), new SnapshotCodec(), comparer);
    }

    /**
     * At start-up, in the background (start-up never waits for the database): the sandbox role is created or checked,
     * and the log says as whom sandboxes run, or why none can; then sandbox databases a killed process left behind are
     * dropped (young or busy ones are spared).
     */
    void prepareSandboxes(@Observes StartupEvent event, jakarta.enterprise.inject.Instance<Sandboxes> instance,
                          jakarta.enterprise.inject.Instance<HistoryReplay> replays, MigratorConfig config) {
        if (RunMode.cli()) {
            return; // one command is no server: it prepares a sandbox when it needs one, and sweeps nothing
        }
        Sandboxes sandboxes = instance.get();
        java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                sandboxes.login();
            } catch (RuntimeException e) {
                Logger.getLogger(EngineProducer.class).warnf("No sandbox can be had, so snapshots are compared textually and "
                        + "DDL input is refused until this is fixed: %s", e.getMessage());
                return;
            }
            List<String> dropped = new java.util.ArrayList<>(sandboxes.sweep(60));
            dropped.addAll(replays.get().sweep(config.sandbox().replayMaxAge().toSeconds()));
            if (!dropped.isEmpty()) {
                Logger.getLogger(EngineProducer.class).infof("Dropped %d stale sandbox database(s): %s", dropped.size(), dropped);
            }
        });
    }

    /**
     * Where sessions that must stay on one backend connect (the apply session, the gate's LISTEN):
     * {@code migrator.direct-database-url} when set, else the datasource.
     */
    static DatabaseUrl direct(MigratorConfig config, Optional<String> jdbcUrl, Optional<String> user, Optional<String> password) {
        if (config.directDatabaseUrl().isPresent()) {
            try {
                return DatabaseUrl.parse(config.directDatabaseUrl().get());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Invalid MIGRATOR_DIRECT_DATABASE_URL: "
                        + e.getMessage().replace(DatabaseUrl.VARIABLE, "MIGRATOR_DIRECT_DATABASE_URL"));
            }
        }
        // Optional, so that a missing URL reaches StartupGuard's clear message instead of a config injection error.
        String url = jdbcUrl.orElseThrow(() -> new IllegalStateException("No database configured: set DATABASE_URL"));
        return new DatabaseUrl(url, user.orElse(null), password.orElse(null));
    }

    private static TrackingTable tracking(MigratorConfig config) {
        return new TrackingTable(config.tracking().schema(), config.tracking().table(), config.tracking().auditTable());
    }
}
