package dev.mellon.migrator.engine.core;

/**
 * Who asked for a run, recorded in the audit table.
 *
 * @param appliedBy     the identity of the caller or of this service instance
 * @param clientAddress the caller's network address, when known
 * @param requestSource a free-form label the caller sent (e.g. the CI job), when given
 * @param gitCommit     the commit the caller deploys ({@code X-Git-Commit}), when given; kept in the runs table
 */
public record RunContext(String appliedBy, String clientAddress, String requestSource, String gitCommit) {

    public RunContext(String appliedBy, String clientAddress, String requestSource) {
        this(appliedBy, clientAddress, requestSource, null);
    }

    public static RunContext of(String appliedBy) {
        return new RunContext(appliedBy, null, null);
    }
}
