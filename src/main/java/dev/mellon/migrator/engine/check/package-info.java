/**
 * The folder check: what drizzle-kit's {@code check} would say of a migration folder, and the audit of a
 * drizzle-kit 1.0 folder's snapshots and branches. It reads files only.
 */
package dev.mellon.migrator.engine.check;
