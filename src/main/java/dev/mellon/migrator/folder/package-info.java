/**
 * The migration folder as drizzle-kit writes it: {@code meta/_journal.json}, one {@code <tag>.sql} file per journal
 * entry split on {@code --> statement-breakpoint}, SHA-256 of the file bytes, and the folder-level findings (orphan
 * files, missing snapshots, non-increasing {@code when}) that are warnings rather than failures.
 *
 * <p>Owns file formats only: it knows nothing of JDBC or HTTP.
 */
package dev.mellon.migrator.folder;
