/**
 * The schema a history produces: its SQL replayed into a sandbox, as the apply engine would run it, with the
 * extensions it needs; the result kept as a template database and a model, keyed by the content of the entries
 * replayed, so that a warm drift costs one introspection of the target and a grown folder replays only its tail.
 * Statements whose effects reach past one database (roles, memberships, the server's settings, databases,
 * tablespaces) never run in a sandbox: they are recorded and checked against the target's catalog.
 */
package dev.mellon.migrator.engine.schema;
