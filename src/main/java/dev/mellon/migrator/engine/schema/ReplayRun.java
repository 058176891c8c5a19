package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.engine.core.ExecutionMode;
import dev.mellon.migrator.engine.apply.ExecutionModes;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.sandbox.Sandbox;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.SqlScanner;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Runs entries of a history into a sandbox as the apply engine runs them ({@link ExecutionModes}: one transaction per
 * migration, statement by statement outside one where PostgreSQL needs it, a file's own BEGIN/COMMIT as written), on
 * a session in the simple protocol like the apply's. Three kinds of statement take another way: extension statements
 * run as the service's login (the privileged step), statements reaching past the database never run, and statements
 * the sandbox role is not permitted to run (a change of owner, a SET ROLE) are skipped; the last two are recorded, as
 * is a statement that fails for want of a role a skipped statement would have created (a policy for a new role).
 */
final class ReplayRun {

    private static final Logger LOG = Logger.getLogger(ReplayRun.class.getName());
    private static final String NOT_PERMITTED = "42501";
    private static final String UNDEFINED_OBJECT = "42704";

    private final Sandbox sandbox;
    private final boolean generated;
    private final List<NotReplayed> skipped = new ArrayList<>();
    /** Roles that statements this run did not run would have created: a later statement naming one cannot run either. */
    private final java.util.Set<String> rolesNotCreated = new java.util.HashSet<>();

    ReplayRun(Sandbox sandbox) {
        this(sandbox, false);
    }

    /** @param generated the entries were generated from caller text: they run under the caller timeouts */
    ReplayRun(Sandbox sandbox, boolean generated) {
        this.sandbox = sandbox;
        this.generated = generated;
    }

    private Connection session() throws SQLException {
        return generated ? sandbox.generatedSession() : sandbox.historySession();
    }

    List<NotReplayed> skipped() {
        return skipped;
    }

    /**
     * Makes drizzle's tracking table in a fresh sandbox, as every apply finds it: some histories read or clean it up
     * in their own SQL. It is never part of the schema read back.
     */
    void prepare(TrackingTable tracking) throws SQLException {
        try (Statement st = session().createStatement()) {
            st.execute(tracking.createSchemaSql());
            st.execute(tracking.createTableSql());
        }
    }

    void run(List<Migration> entries) {
        for (ExecutionModes.Step step : ExecutionModes.of(entries)) {
            try {
                if (step.mode() == ExecutionMode.TRANSACTION) {
                    inTransaction(step);
                } else {
                    inAutocommit(step);
                }
            } catch (SQLException e) {
                throw new ReplayFailedException("the sandbox session failed while replaying \"" + step.migration().tag()
                        + "\" [SQLSTATE " + e.getSQLState() + "]");
            }
        }
    }

    /**
     * One migration in one transaction. Should a statement turn out not permitted, the transaction is rolled back and
     * the migration runs again with a savepoint around each statement, so that only that statement is left out.
     */
    private void inTransaction(ExecutionModes.Step step) throws SQLException {
        Connection session = session();
        session.setAutoCommit(false);
        int mark = skipped.size();
        try {
            for (int i = 0; i < step.statements().size(); i++) {
                execute(step, i, step.statements().get(i), null);
            }
            session.commit();
        } catch (NotPermitted e) {
            session.rollback();
            skipped.subList(mark, skipped.size()).clear();
            for (int i = 0; i < step.statements().size(); i++) {
                for (String statement : SqlScanner.statements(step.statements().get(i))) {
                    execute(step, i, statement, session);
                }
            }
            session.commit();
        } finally {
            if (!session.getAutoCommit()) {
                try {
                    session.rollback();
                } catch (SQLException ignored) {
                    // committed already, or the session is gone
                }
                session.setAutoCommit(true);
            }
        }
    }

    private void inAutocommit(ExecutionModes.Step step) throws SQLException {
        Connection session = session();
        session.setAutoCommit(true);
        for (int i = 0; i < step.statements().size(); i++) {
            try {
                execute(step, i, step.statements().get(i), null);
            } catch (NotPermitted e) {
                skip(step, i, e.statement, e.reason, null);
            }
        }
    }

    /**
     * Runs one chunk (or statement) of an entry. A chunk holding an extension or cluster-wide statement is taken apart
     * into its statements, each run its own way. With {@code careful} set (a transaction being redone), each statement
     * runs under a savepoint and one that is not permitted is skipped.
     */
    private void execute(ExecutionModes.Step step, int index, String chunk, Connection careful) throws SQLException {
        List<String> statements = SqlScanner.statements(chunk);
        boolean special = statements.stream().anyMatch(s -> ClusterStatement.of(s).isPresent() || isExtension(s));
        if (!special && careful == null) {
            send(step, index, chunk);
            return;
        }
        for (String statement : special ? statements : List.of(chunk)) {
            Optional<ClusterStatement> cluster = ClusterStatement.of(statement);
            if (cluster.isPresent()) {
                skip(step, index, statement, NotReplayed.CLUSTER_WIDE, cluster.get());
            } else if (isExtension(statement)) {
                if (!sandbox.runExtensionStatement(statement)) {
                    throw new ReplayFailedException("the history needs an extension the sandbox server does not offer: \""
                            + step.migration().tag() + "\" statement " + (index + 1) + " (" + SqlScanner.firstLine(statement) + ")");
                }
            } else if (careful != null) {
                Savepoint savepoint = careful.setSavepoint();
                try {
                    send(step, index, statement);
                    careful.releaseSavepoint(savepoint);
                } catch (NotPermitted e) {
                    careful.rollback(savepoint);
                    skip(step, index, statement, e.reason, null);
                }
            } else {
                send(step, index, statement);
            }
        }
    }

    private void send(ExecutionModes.Step step, int index, String sql) throws SQLException {
        try (Statement st = session().createStatement()) {
            st.setEscapeProcessing(false);
            st.execute(sql);
        } catch (SQLException e) {
            if (NOT_PERMITTED.equals(e.getSQLState())) {
                throw new NotPermitted(sql, NotReplayed.NOT_PERMITTED);
            }
            if (UNDEFINED_OBJECT.equals(e.getSQLState()) && namesRoleNotCreated(sql)) {
                throw new NotPermitted(sql, NotReplayed.NEEDS_ROLE);
            }
            LOG.warning("Replay of \"" + step.migration().tag() + "\" statement " + (index + 1) + " failed in sandbox "
                    + sandbox.database() + ": " + e.getMessage());
            throw new ReplayFailedException(step.migration().tag(), index + 1, SqlScanner.firstLine(sql), e);
        }
    }

    private void skip(ExecutionModes.Step step, int index, String statement, String reason, ClusterStatement cluster) {
        if (cluster != null && cluster.kind() == ClusterStatement.Kind.ROLE && cluster.action().equals("create")) {
            rolesNotCreated.addAll(cluster.roles());
        }
        skipped.add(new NotReplayed(step.migration().tag(), index + 1, SqlScanner.firstLine(statement), reason, cluster, null));
    }

    private boolean namesRoleNotCreated(String statement) {
        return !rolesNotCreated.isEmpty() && SqlScanner.tokens(statement).stream()
                .anyMatch(t -> t.kind() != SqlScanner.Token.Kind.LITERAL && rolesNotCreated.contains(t.name()));
    }

    static boolean isExtension(String statement) {
        return Sandbox.extensionName(statement).isPresent();
    }

    /** A statement the sandbox cannot run: not permitted to its role (SQLSTATE 42501), or naming a role never created. */
    private static final class NotPermitted extends SQLException {
        private final String statement;
        private final String reason;

        NotPermitted(String statement, String reason) {
            super(reason, NOT_PERMITTED);
            this.statement = statement;
            this.reason = reason;
        }
    }
}
