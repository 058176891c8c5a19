/**
 * Schema model to SQL text, in drizzle-kit's statement order and style: double-quoted identifiers, public
 * objects unqualified, foreign keys and indexes as separate statements after every CREATE TABLE. Knows nothing of
 * JDBC or HTTP.
 */
package dev.mellon.migrator.ddl;
