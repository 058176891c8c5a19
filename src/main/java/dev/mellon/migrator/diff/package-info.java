/**
 * Compares two schema models and names every difference: object kind, qualified name, what differs, expected and
 * actual values. Expressions (defaults, checks, index keys and predicates, policies, views) are compared after the
 * normalisation PostgreSQL's deparser makes necessary, so that a database that matches its history reports no drift.
 * Knows nothing of JDBC or HTTP.
 */
package dev.mellon.migrator.diff;
