/**
 * Acceptance cases for the diff engine: schema pairs built in real databases, diffed, migrated and read back.
 */
package dev.mellon.migrator.acceptance;
