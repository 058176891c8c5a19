/**
 * Rollback: the newest applied entries undone with their down migrations (written or computed from the
 * snapshots), under the migration lock, with the tracking rows removed and the undo audited.
 */
package dev.mellon.migrator.engine.rollback;
