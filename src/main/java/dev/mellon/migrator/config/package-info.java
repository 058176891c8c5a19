/**
 * Wiring between the environment and the engine: {@code DATABASE_URL} in the form Drizzle users keep in {@code .env},
 * the embedded PostgreSQL for development, the {@code migrator.*} settings, and the start-up guard that refuses a
 * packaged service without a real database.
 */
package dev.mellon.migrator.config;
