/**
 * The HTTP surface: JAX-RS resources, their request and response records, RFC 9457 problem details for every error,
 * metrics around applies, and the wiring that builds the engine from configuration. Holds no SQL.
 */
package dev.mellon.migrator.api;
