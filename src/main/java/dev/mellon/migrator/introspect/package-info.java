/**
 * Reads a live PostgreSQL database into the schema model with a handful of set-based catalog queries (one per object
 * kind for the whole database, never one per table), normalised the way drizzle-kit writes snapshots. Objects a
 * snapshot cannot express are listed apart as unmanaged.
 */
package dev.mellon.migrator.introspect;
