/**
 * Hand edits to the history: marking an entry applied or forgetting it without running its SQL, and
 * baselining an existing database, each under the migration lock and audited.
 */
package dev.mellon.migrator.engine.edit;
