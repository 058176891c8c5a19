/**
 * Upgrades: a drizzle-orm 0.x tracking table brought to drizzle-kit 1.0's named form, and the folder upgrade
 * that goes with it.
 */
package dev.mellon.migrator.engine.upgrade;
