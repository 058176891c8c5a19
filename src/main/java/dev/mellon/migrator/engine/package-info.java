/**
 * The use cases that touch the database: migration status against drizzle-orm's tracking table, and apply under a
 * PostgreSQL advisory lock with drizzle-compatible tracking rows and our own audit rows beside them.
 *
 * <p>A plain Java library on {@link javax.sql.DataSource} and JDBC: the REST layer, command-line tools and tests all
 * call it the same way. It knows nothing of HTTP or of the framework that wires it.
 */
package dev.mellon.migrator.engine;
