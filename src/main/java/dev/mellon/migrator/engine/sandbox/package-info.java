/**
 * Sandboxes: throwaway databases in which text the service did not write itself (snapshots, DDL, a history's SQL
 * when it is replayed) is run, so that PostgreSQL parses and prints it and nothing it does reaches anything else.
 *
 * <p>A sandbox logs in as an unprivileged role of its own (never the service's role when that one could read files,
 * run programs or manage roles), sends caller text one statement per protocol message and only statements a schema
 * is made of, and runs under statement, lock and idle timeouts; a cap on concurrent sandboxes keeps callers from
 * holding the server's connections. The engine's schema use cases reach sandboxes only through {@link
 * dev.mellon.migrator.engine.sandbox.Sandboxes}.
 */
package dev.mellon.migrator.engine.sandbox;
