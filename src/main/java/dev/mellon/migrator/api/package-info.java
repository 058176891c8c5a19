/**
 * The HTTP surface: JAX-RS resources, the request records only REST reads (the answers and problems are in {@code web}),
 * metrics around applies, and the wiring that builds the engine from configuration. Holds no SQL.
 */
package dev.mellon.migrator.api;
