/**
 * The small types every room of the engine shares: the caller of a run ({@code RunContext}), the transaction
 * and execution modes, and the failures any use case may end with (an unknown migration, the database unavailable
 * or refusing a privilege, data loss refused). It depends on no other room.
 */
package dev.mellon.migrator.engine.core;
