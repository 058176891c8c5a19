package dev.mellon.migrator.engine;

/**
 * Who asked for a run, recorded in the audit table.
 *
 * @param appliedBy     the identity of the caller or of this service instance
 * @param clientAddress the caller's network address, when known
 * @param requestSource a free-form label the caller sent (e.g. the CI job), when given
 */
public record RunContext(String appliedBy, String clientAddress, String requestSource) {

    public static RunContext of(String appliedBy) {
        return new RunContext(appliedBy, null, null);
    }
}
