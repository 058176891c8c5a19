/**
 * The use cases that touch the database: migration status against drizzle-orm's tracking table, apply under a
 * PostgreSQL advisory lock with drizzle-compatible tracking rows and our own audit rows beside them, and the work beside
 * it (generate, rebase, push, rollback, hand edits, upgrade, the version gate).
 *
 * <p>A plain Java library on {@link javax.sql.DataSource} and JDBC: the REST layer, command-line tools and tests all
 * call it the same way. It knows nothing of HTTP or of the framework that wires it. Its classes live in rooms, one
 * sub-package per use case ({@code core}, {@code check}, {@code history}, {@code lock}, {@code apply}, {@code schema},
 * {@code sandbox}, {@code generate}, {@code rollback}, {@code edit}, {@code upgrade}, {@code gate}), which depend one
 * way; this package holds nothing else.
 */
package dev.mellon.migrator.engine;
