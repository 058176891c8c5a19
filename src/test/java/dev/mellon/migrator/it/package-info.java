/**
 * Black-box tests of the packaged service (run by failsafe after {@code package}): each starts
 * {@code quarkus-run.jar} as a process against a fresh database, as production runs it.
 */
package dev.mellon.migrator.it;
