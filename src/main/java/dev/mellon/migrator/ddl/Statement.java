package dev.mellon.migrator.ddl;

import dev.mellon.migrator.diff.Change;

/**
 * One SQL statement of a plan and the step it implements.
 *
 * @param transactional false for statements PostgreSQL refuses inside a transaction block
 *                      ({@code CREATE INDEX CONCURRENTLY}); an online plan puts them in a migration of their own
 */
public record Statement(String sql, Change change, boolean transactional) {
}
