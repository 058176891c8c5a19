/**
 * Sessions and the migration lock: the dedicated session an apply holds, the PostgreSQL advisory lock and who
 * holds it, and the in-process queue of callers waiting for their turn. It reads the tracking table's name only.
 */
package dev.mellon.migrator.engine.lock;
