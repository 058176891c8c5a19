package dev.mellon.migrator.config;

import dev.mellon.migrator.engine.core.TransactionMode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/**
 * The service's own settings. Each may be given as an environment variable: {@code MIGRATOR_FOLDER},
 * {@code MIGRATOR_TRACKING_SCHEMA}, {@code MIGRATOR_TRACKING_TABLE}, {@code MIGRATOR_LOCK_WAIT},
 * {@code MIGRATOR_LOCK_WAIT_MAX}, {@code MIGRATOR_MAX_WAITERS}, {@code MIGRATOR_APPLY_SOCKET_TIMEOUT}, ...,
 * {@code MIGRATOR_TRANSACTION}, {@code MIGRATOR_EMBEDDED}.
 */
@ConfigMapping(prefix = "migrator")
public interface MigratorConfig {

    /** The migration folder, relative to the working directory or absolute. */
    @WithDefault("./drizzle")
    String folder();

    Tracking tracking();

    /** How long an apply waits for another run's lock when the request does not say (ISO-8601 or e.g. {@code 60s}). */
    @WithDefault("60s")
    Duration lockWait();

    /**
     * The longest {@code wait} a request may ask for; a longer one is refused with 400. A caller waiting longer than
     * this is better off retrying than holding an HTTP request (and a place in the queue) open.
     */
    @WithName("lock-wait-max")
    @WithDefault("PT10M")
    Duration lockWaitMax();

    /**
     * How many callers may wait for the migration lock on this instance at once. They wait in-process without a
     * database session; one more is refused with 429 and {@code Retry-After}.
     */
    @WithName("max-waiters")
    @WithDefault("16")
    int maxWaiters();

    /** The dedicated session every apply (and push, and rebase) holds the migration lock on. */
    Apply apply();

    interface Apply {
        /** How long opening the session may take. */
        @WithName("connect-timeout")
        @WithDefault("10s")
        Duration connectTimeout();

        /**
         * How long the service waits for any reply from PostgreSQL before giving the session up ({@code 0}: no
         * limit, the default). A migration statement (an index build) may rightly run for hours with no reply, and
         * giving up leaves its outcome to be read back; the dead-client case is handled on the server's side instead
         * (keepalives, {@code client_connection_check_interval}, the idle-in-transaction timeout). Set it above the
         * longest statement you run if a vanished database server must not hang a request.
         */
        @WithName("socket-timeout")
        @WithDefault("0s")
        Duration socketTimeout();

        /**
         * {@code idle_in_transaction_session_timeout} of the session: a run whose client stopped talking inside a
         * transaction is ended by the server, rolled back, and its lock freed. {@code 0} keeps the server's setting.
         */
        @WithName("idle-in-transaction-timeout")
        @WithDefault("60s")
        Duration idleInTransactionTimeout();

        /**
         * How long the session of a run that ended cleanly stays open, reset with {@code DISCARD ALL}, for the next
         * run: opening a session costs a PostgreSQL process start, most of a no-op apply. {@code 0} closes every
         * session when its run ends.
         */
        @WithName("session-keep")
        @WithDefault("30s")
        Duration sessionKeep();

        /**
         * {@code lock_timeout} of a migration's statements when the request does not say: a DDL statement that waits
         * longer for another session's lock fails, naming the blockers, instead of queueing every query behind it.
         */
        @WithName("lock-timeout")
        @WithDefault("5s")
        Duration lockTimeout();

        /** {@code statement_timeout} of a migration's statements when the request does not say ({@code 0}: none). */
        @WithName("statement-timeout")
        @WithDefault("0s")
        Duration statementTimeout();

        /** The longest {@code lockTimeout} or {@code statementTimeout} a request may ask for. */
        @WithName("timeout-max")
        @WithDefault("PT24H")
        Duration timeoutMax();
    }

    /** The transaction mode of an apply that does not choose one: {@code all} (drizzle's) or {@code each}. */
    @WithDefault("all")
    TransactionMode transaction();

    /** Start an embedded, throwaway PostgreSQL when there is no DATABASE_URL (dev mode always does). */
    @WithDefault("false")
    boolean embedded();

    /**
     * The server where sandboxes are made (see {@link Sandbox}), with the login that creates their databases: a
     * {@code postgresql://} or {@code jdbc:postgresql:} URL of any database on that server whose role has CREATEDB.
     * Default: the target server and the service's own login.
     */
    @WithName("shadow-url")
    java.util.Optional<String> shadowUrl();

    /** Sandboxes: throwaway databases where snapshots, submitted DDL and a history's SQL run as an unprivileged role. */
    Sandbox sandbox();

    interface Sandbox {
        /**
         * The role sandboxes log in as. The service creates it (and keeps it unprivileged) when its login is a
         * superuser or has CREATEROLE; otherwise it must exist, or the service's own login must itself be unprivileged.
         */
        @WithDefault("mellon_sandbox")
        String role();

        /**
         * That role's password. Unset: derived from the service's own password (the same on every replica), or none
         * when the service logs in without one.
         */
        java.util.Optional<String> password();

        /** Whether the service creates the role and resets its attributes, limits and password at start-up. */
        @WithName("manage-role")
        @WithDefault("true")
        boolean manageRole();

        /** {@code statement_timeout} of caller text (snapshots, DDL) in a sandbox. */
        @WithName("statement-timeout")
        @WithDefault("5s")
        Duration statementTimeout();

        /** {@code statement_timeout} of a history's own statements when it is replayed. */
        @WithName("replay-timeout")
        @WithDefault("60s")
        Duration replayTimeout();

        /** {@code lock_timeout} of every sandbox statement. */
        @WithName("lock-timeout")
        @WithDefault("2s")
        Duration lockTimeout();

        /** {@code idle_in_transaction_session_timeout} of every sandbox session. */
        @WithName("idle-timeout")
        @WithDefault("10s")
        Duration idleTimeout();

        /** How many sandboxes one instance holds at once; further requests queue. */
        @WithName("max-concurrent")
        @WithDefault("4")
        int maxConcurrent();

        /** How long a request queues for a sandbox before it is refused with 429 and Retry-After. */
        @WithName("queue-wait")
        @WithDefault("10s")
        Duration queueWait();

        /** The role's CONNECTION LIMIT: a cap across every replica sharing the server. */
        @WithName("connection-limit")
        @WithDefault("32")
        int connectionLimit();

        /** Whether drift, check and baseline compare with a replay of the history's SQL (else with its snapshots). */
        @WithDefault("true")
        boolean replay();

        /** How many replays (template databases) one instance keeps; older ones are dropped as newer ones are made. */
        @WithName("replay-keep")
        @WithDefault("4")
        int replayKeep();

        /** Kept replays older than this are dropped at start-up (they are made again when needed). */
        @WithName("replay-max-age")
        @WithDefault("P7D")
        Duration replayMaxAge();
    }

    /**
     * A direct (non-pooler) URL for the apply session, its lock and the version gate's listener, when
     * {@code DATABASE_URL} points at a transaction pooler such as PgBouncer: {@code postgresql://} or
     * {@code jdbc:postgresql:}. Reads still use {@code DATABASE_URL}.
     */
    @WithName("direct-database-url")
    java.util.Optional<String> directDatabaseUrl();

    Generate generate();

    Push push();

    /**
     * Whether requests may send DDL ({@code "sql"}, admins only) to run in a sandbox. Off in production by default:
     * the sandbox contains it, but a deployment decides whether its admins may send DDL at all.
     */
    @WithName("schema-sql")
    SchemaSql schemaSql();

    Auth auth();

    Health health();

    interface Health {
        /** Whether readiness also requires every journal entry to be applied (a deployment gate). */
        @WithName("require-up-to-date")
        @WithDefault("false")
        boolean requireUpToDate();
    }

    /** The studio's row browsing (see the studio package). */
    Studio studio();

    /** The largest request body (a snapshot or DDL); a larger declared body gets a 413 problem before it is read. */
    @WithName("max-body-size")
    @WithDefault("10M")
    io.quarkus.runtime.configuration.MemorySize maxBodySize();

    /**
     * Bearer-token authentication. Tokens are configured by name, as hashes:
     * {@code migrator.auth.tokens.ci.hash=sha256:<hex>} and {@code migrator.auth.tokens.ci.roles=deployer}, or
     * {@code MIGRATOR_AUTH_TOKENS_CI_HASH} / {@code MIGRATOR_AUTH_TOKENS_CI_ROLES} in the environment.
     */
    interface Auth {
        /**
         * The master switch. Unset: on whenever tokens are configured; with no tokens, dev mode runs open (with a
         * warning) and the packaged service refuses to start. {@code false} runs open on purpose.
         */
        java.util.Optional<Boolean> enabled();

        java.util.Map<String, Token> tokens();

        interface Token {
            /** {@code sha256:} and the hex SHA-256 of the secret; the secret itself is never configured. */
            String hash();

            /** viewer, reader, deployer, admin (each includes the ones before it that it needs). */
            @WithDefault("viewer")
            java.util.List<String> roles();
        }
    }

    interface Studio {
        /** The {@code statement_timeout} of every studio query: a slow filter is cancelled, never left to stall the database. */
        @WithName("statement-timeout")
        @WithDefault("5s")
        Duration statementTimeout();
    }

    interface SchemaSql {
        @WithDefault("false")
        boolean enabled();
    }

    interface Generate {
        /** Whether generate writes into the folder (dev) or only returns the files for CI to commit (prod). */
        @WithDefault("false")
        boolean write();
    }

    interface Push {
        /** Whether {@code POST /schema/push} may change the database (dev only by default). */
        @WithDefault("false")
        boolean enabled();
    }

    interface Tracking {
        /** drizzle's {@code migrationsSchema}. */
        @WithDefault("drizzle")
        String schema();

        /** drizzle's {@code migrationsTable}. */
        @WithDefault("__drizzle_migrations")
        String table();

        /** Our audit table, created in the same schema. */
        @WithName("audit-table")
        @WithDefault("__mellon_migrator_audit")
        String auditTable();
    }
}
