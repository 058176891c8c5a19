/**
 * The history in the database: drizzle-orm's tracking table and our audit, progress and run tables beside it,
 * how they are read, named and written, and the status every folder entry has against them
 * ({@code StatusCalculator}). It knows nothing of locking or of how a plan runs.
 */
package dev.mellon.migrator.engine.history;
