/**
 * The schema model: an immutable picture of what a Drizzle v7 PostgreSQL snapshot can express (schemas, enums,
 * sequences, roles, tables with columns, keys, indexes, checks and policies, views), and the codec that reads and
 * writes snapshot JSON exactly as drizzle-kit does. Knows nothing of JDBC or HTTP.
 */
package dev.mellon.migrator.schema;
