/**
 * Status and apply: {@code Migrator}, the engine's front door, plans a run ({@code ApplyPlanner}), runs it
 * statement by statement under the lock ({@code PlanExecution}), resumes or probes interrupted runs, and names each
 * failure once ({@code FailureKind}). It also offers {@code Migrator.withLock} to the use cases that write under the
 * same lock.
 */
package dev.mellon.migrator.engine.apply;
