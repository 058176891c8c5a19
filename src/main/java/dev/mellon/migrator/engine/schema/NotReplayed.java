package dev.mellon.migrator.engine.schema;

/**
 * A statement of the history that replay did not run, and what the target says about it.
 *
 * @param tag            the entry
 * @param statementIndex its 1-based place among the entry's statements as the apply engine sends them
 * @param statement      its first line
 * @param reason         {@code cluster-wide} (roles, memberships, server settings, databases, tablespaces: never run
 *                       in a sandbox), {@code not-permitted} (the sandbox role may not run it, e.g. a change of owner)
 *                       or {@code needs-role} (it names a role that a cluster-wide statement not run would have made)
 * @param cluster        what a cluster-wide statement touches; {@code null} otherwise
 * @param target         for roles and memberships, {@code present} or {@code missing} on the target's server;
 *                       {@code not-compared} for everything else; {@code null} until checked
 */
public record NotReplayed(String tag, int statementIndex, String statement, String reason, ClusterStatement cluster,
                          String target) {

    public static final String CLUSTER_WIDE = "cluster-wide";
    public static final String NOT_PERMITTED = "not-permitted";
    public static final String NEEDS_ROLE = "needs-role";

    public NotReplayed withTarget(String status) {
        return new NotReplayed(tag, statementIndex, statement, reason, cluster, status);
    }
}
