/**
 * The studio: a web page served at {@code /studio/} to browse the database and operate migrations, and its data
 * endpoints under {@code /studio/api}. {@link dev.mellon.migrator.studio.StudioCatalog} reads tables, columns, keys and
 * indexes from {@code pg_catalog}; {@link dev.mellon.migrator.studio.RowQuery} builds a row query whose identifiers come
 * only from that catalog and whose values are always bound parameters; {@link dev.mellon.migrator.studio.RowReader}
 * runs it in a read-only transaction with a statement timeout. Those three are plain classes; the resources wire them.
 */
package dev.mellon.migrator.studio;
