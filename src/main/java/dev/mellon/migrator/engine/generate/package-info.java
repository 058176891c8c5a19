/**
 * Generate, rebase and push: new migrations written as drizzle-kit would, proven on a replay of the folder
 * before they are written, a branch's entries rebased onto the main line, and the desired schema pushed to the
 * database under the migration lock.
 */
package dev.mellon.migrator.engine.generate;
