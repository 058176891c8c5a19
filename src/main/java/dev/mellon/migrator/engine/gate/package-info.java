/**
 * The version gate: callers wait until an entry is applied, woken by the {@code NOTIFY} each apply sends.
 */
package dev.mellon.migrator.engine.gate;
