package dev.mellon.migrator.engine.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How sandboxes run.
 *
 * @param role               the role sandboxes log in as; created and kept unprivileged by the service when its own
 *                           login may manage roles
 * @param password           that role's password; {@code null} derives one from the service's own password (or uses
 *                           none when the service logs in without one)
 * @param manageRole         whether the service creates the role and resets its attributes and password at start-up
 * @param statementTimeout   {@code statement_timeout} of caller text (snapshots, DDL) in a sandbox
 * @param replayTimeout      {@code statement_timeout} of a history's own statements when it is replayed
 * @param lockTimeout        {@code lock_timeout} of every sandbox statement
 * @param idleTimeout        {@code idle_in_transaction_session_timeout} of every sandbox session
 * @param maxConcurrent      how many sandboxes this process holds at once
 * @param queueWait          how long a request waits for a free sandbox before it is refused (429)
 * @param connectionLimit    the role's {@code CONNECTION LIMIT}: a cap across every replica sharing the server
 */
public record SandboxSettings(String role, String password, boolean manageRole, Duration statementTimeout,
                              Duration replayTimeout, Duration lockTimeout, Duration idleTimeout, int maxConcurrent,
                              Duration queueWait, int connectionLimit) {

    public static final String DEFAULT_ROLE = "mellon_sandbox";

    public SandboxSettings {
        Objects.requireNonNull(role, "role");
        if (role.isBlank() || role.length() > 63) {
            throw new IllegalArgumentException("The sandbox role name must have 1 to 63 characters");
        }
        for (Duration d : new Duration[] {statementTimeout, replayTimeout, lockTimeout, idleTimeout, queueWait}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("Sandbox timeouts must be given and not negative");
            }
        }
        // Zero would mean "no limit" to PostgreSQL: a sandbox always has one.
        if (statementTimeout.toMillis() < 1 || replayTimeout.toMillis() < 1 || lockTimeout.toMillis() < 1 || idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("Sandbox statement, lock and idle timeouts must be at least 1 ms");
        }
        if (maxConcurrent < 1 || connectionLimit < 1) {
            throw new IllegalArgumentException("A sandbox cap must be at least 1");
        }
    }

    public static SandboxSettings defaults() {
        return new SandboxSettings(DEFAULT_ROLE, null, true, Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofSeconds(2), Duration.ofSeconds(10), 4, Duration.ofSeconds(10), 32);
    }

    public SandboxSettings withRole(String name) {
        return new SandboxSettings(name, password, manageRole, statementTimeout, replayTimeout, lockTimeout, idleTimeout,
                maxConcurrent, queueWait, connectionLimit);
    }

    public SandboxSettings withLimits(int concurrent, Duration wait) {
        return new SandboxSettings(role, password, manageRole, statementTimeout, replayTimeout, lockTimeout, idleTimeout,
                concurrent, wait, connectionLimit);
    }

    public SandboxSettings withStatementTimeout(Duration timeout) {
        return new SandboxSettings(role, password, manageRole, timeout, replayTimeout, lockTimeout, idleTimeout,
                maxConcurrent, queueWait, connectionLimit);
    }
}
