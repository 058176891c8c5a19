package dev.mellon.migrator.engine.sandbox;

import dev.mellon.migrator.folder.SqlScanner;
import dev.mellon.migrator.schema.SqlNames;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * One sandbox: a database of its own, and sessions on it as the sandbox role. Caller text runs through {@link
 * #runStatements} or {@link #runText}: only schema DDL ({@link SchemaDdlPolicy}), one statement per protocol message
 * (the extended protocol: PostgreSQL itself refuses a second command in one), under the sandbox's statement, lock and
 * idle timeouts. Closing it drops the database unless it was kept ({@link #keepAs}).
 */
public final class Sandbox implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Sandbox.class.getName());

    private final Sandboxes owner;
    private final String database;
    private final SandboxLogin login;
    private final Runnable release;
    private Connection session;
    private Connection history;
    private Connection generated;
    private boolean kept;
    private boolean closed;
    private int ran;

    Sandbox(Sandboxes owner, String database, SandboxLogin login, Runnable release) {
        this.owner = owner;
        this.database = database;
        this.login = login;
        this.release = release;
    }

    public String database() {
        return database;
    }

    /**
     * A session as the sandbox role in the extended protocol, with the caller timeouts: for caller DDL and for reading
     * the schema back (never as the service's login, whose privileges a caller's objects could borrow).
     */
    public Connection session() throws SQLException {
        if (session == null) {
            session = open("extended", owner.settings().statementTimeout());
        }
        return session;
    }

    /**
     * A session as the sandbox role in the simple protocol, as the apply engine's sessions are (one text query, several
     * statements allowed), with the replay timeout: for a history's own SQL, never for caller text.
     */
    public Connection historySession() throws SQLException {
        if (history == null) {
            history = open("simple", owner.settings().replayTimeout());
        }
        return history;
    }

    /**
     * A session as the sandbox role in the simple protocol, as the apply engine's sessions are, with the caller
     * timeouts: for migrations the service generated from caller text, run as apply would run them.
     */
    public Connection generatedSession() throws SQLException {
        if (generated == null) {
            generated = open("simple", owner.settings().statementTimeout());
        }
        return generated;
    }

    private Connection open(String protocol, Duration statementTimeout) throws SQLException {
        SandboxSettings settings = owner.settings();
        // Set at connection start: the first statement already runs under them. The role's own defaults back them up
        // for a session that changes them from inside an expression, and the client cancels each statement as well.
        String inherited = owner.server().driverProperties().getOrDefault("options", "");
        String options = (inherited.isBlank() ? "" : inherited + " ") + "-c statement_timeout=" + statementTimeout.toMillis()
                + " -c lock_timeout=" + settings.lockTimeout().toMillis()
                + " -c idle_in_transaction_session_timeout=" + settings.idleTimeout().toMillis()
                + " -c synchronous_commit=off";
        try {
            return owner.server().connect(database, login.role(), login.password(), Map.of("preferQueryMode", protocol,
                    "options", options, "socketTimeout", Long.toString(seconds(statementTimeout) + 30)));
        } catch (SQLException e) {
            if ("53300".equals(e.getSQLState())) {
                throw new SandboxBusyException(settings.connectionLimit(), Duration.ZERO, Duration.ofSeconds(5));
            }
            throw new SandboxUnavailableException("The sandbox role \"" + login.role() + "\" could not log in to its sandbox on "
                    + owner.server().describe() + ": " + e.getMessage() + " [SQLSTATE " + e.getSQLState() + "]"
                    + ("28P01".equals(e.getSQLState()) ? "; set migrator.sandbox.password to the role's password" : ""), e);
        }
    }

    /**
     * Runs DDL the service wrote from a model (a snapshot's), in order. The model's expressions came from a caller, so
     * each statement is held to the same rules as caller text: one statement, schema DDL only.
     */
    public void runStatements(List<String> statements) {
        for (String statement : statements) {
            run(statement, -1, null);
        }
    }

    /** Runs DDL a caller sent, statement by statement; a failure names the line and column in {@code text}. */
    public void runText(String text) {
        for (SqlScanner.Span span : SqlScanner.spans(text)) {
            run(span.text(text), span.start(), text);
        }
    }

    private void run(String statement, int offset, String text) {
        int index = ++ran;
        Optional<String> refusal = SchemaDdlPolicy.refusal(statement);
        if (refusal.isEmpty()) {
            refusal = oneStatement(statement);
        }
        if (refusal.isPresent()) {
            throw logged(new SandboxStatementException(SandboxStatementException.Kind.REFUSED, "Statement " + index + " ("
                    + SqlScanner.firstLine(statement) + ") was refused: " + refusal.get(), index, SqlScanner.firstLine(statement), null, null,
                    lineOf(text, offset, 1), columnOf(text, offset, 1), null));
        }
        try (Statement st = session().createStatement()) {
            st.setEscapeProcessing(false);
            st.setQueryTimeout((int) seconds(owner.settings().statementTimeout()) + 1);
            st.execute(statement);
        } catch (SQLException e) {
            throw logged(failure(index, statement, offset, text, e));
        }
    }

    /**
     * Why {@code statement} is not exactly one statement, as both pgjdbc (which would otherwise send each part as a
     * message of its own) and our scanner read it; empty when it is.
     */
    static Optional<String> oneStatement(String statement) {
        int ours = SqlScanner.spans(statement).size();
        int drivers;
        try {
            List<NativeQuery> parsed = Parser.parseJdbcSql(statement, true, false, true, false, true);
            drivers = (int) parsed.stream().filter(q -> !q.nativeSql.isBlank()).count();
        } catch (SQLException e) {
            return Optional.of("it cannot be read as SQL: " + e.getMessage());
        }
        if (ours == 1 && drivers == 1) {
            return Optional.empty();
        }
        return Optional.of("it holds " + Math.max(ours, drivers) + " SQL statements where one was expected: text inside it "
                + "(a definition, a default, an expression) ends the statement and starts another");
    }

    private SandboxStatementException failure(int index, String statement, int offset, String text, SQLException e) {
        String sqlState = e.getSQLState();
        String message = e.getMessage();
        Integer position = null;
        if (e instanceof PSQLException pe && pe.getServerErrorMessage() != null) {
            ServerErrorMessage server = pe.getServerErrorMessage();
            message = server.getMessage();
            position = server.getPosition() > 0 ? server.getPosition() : null;
        }
        SandboxStatementException.Kind kind = "57014".equals(sqlState) ? SandboxStatementException.Kind.TIMED_OUT
                : SandboxStatementException.Kind.FAILED;
        String summary = "Statement " + index + " (" + SqlScanner.firstLine(statement) + ") " + (kind == SandboxStatementException.Kind.TIMED_OUT
                ? "ran out of time in the sandbox" : "failed in the sandbox") + " [SQLSTATE " + sqlState + "]";
        int at = position == null ? 1 : position;
        return new SandboxStatementException(kind, summary, index, SqlScanner.firstLine(statement), sqlState, message,
                lineOf(text, offset, at), columnOf(text, offset, at), e);
    }

    private SandboxStatementException logged(SandboxStatementException e) {
        LOG.warning("[errorId " + e.errorId() + "] Sandbox " + database + " (role " + login.role() + "), requested by "
                + Requester.current() + ": " + e.getMessage() + (e.serverMessage() == null ? "" : ": " + e.serverMessage()));
        return e;
    }

    /** The 1-based line in {@code text} of the character {@code position} (1-based) of a statement at {@code offset}. */
    private static Integer lineOf(String text, int offset, int position) {
        if (text == null || offset < 0) {
            return null;
        }
        int at = Math.min(text.length(), offset + position - 1);
        return 1 + (int) text.substring(0, at).chars().filter(c -> c == '\n').count();
    }

    private static Integer columnOf(String text, int offset, int position) {
        if (text == null || offset < 0) {
            return null;
        }
        int at = Math.min(text.length(), offset + position - 1);
        return at - text.lastIndexOf('\n', at - 1);
    }

    /**
     * The privileged step: creates an extension in this sandbox as the service's login, which may create extensions
     * the sandbox role may not (those not marked trusted). Only an extension the server offers is created, with a
     * statement written here from its name, never from caller text.
     *
     * @return false when the server does not offer it
     */
    public boolean createExtension(String name, String schema, boolean cascade) throws SQLException {
        try (Connection admin = owner.server().admin(database)) {
            try (PreparedStatement st = admin.prepareStatement("select 1 from pg_available_extensions where name = ?")) {
                st.setString(1, name);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement st = admin.createStatement()) {
                if (schema != null) {
                    st.execute("CREATE SCHEMA IF NOT EXISTS " + SqlNames.quote(schema)
                            + (login.ownLogin() ? "" : " AUTHORIZATION " + SqlNames.quote(login.role())));
                }
                st.execute("CREATE EXTENSION IF NOT EXISTS " + SqlNames.quote(name)
                        + (schema == null ? "" : " WITH SCHEMA " + SqlNames.quote(schema)) + (cascade ? " CASCADE" : ""));
            }
            return true;
        }
    }

    /**
     * The privileged step for a history's own {@code CREATE}, {@code ALTER} or {@code DROP EXTENSION}: run as the
     * service's login, which may create extensions the sandbox role may not, but only when it is exactly one such
     * statement and (for {@code CREATE}) names an extension the server offers.
     *
     * @return false when the statement is not one extension statement, or names an extension the server lacks
     */
    public boolean runExtensionStatement(String statement) throws SQLException {
        Optional<String> extension = extensionName(statement);
        if (extension.isEmpty() || oneStatement(statement).isPresent()) {
            return false;
        }
        String name = extension.get();
        boolean create = SqlScanner.leadingKeyword(statement).equals("CREATE");
        try (Connection admin = owner.server().admin(database)) {
            if (create) {
                try (PreparedStatement st = admin.prepareStatement("select 1 from pg_available_extensions where name = ?")) {
                    st.setString(1, name);
                    try (ResultSet rs = st.executeQuery()) {
                        if (!rs.next()) {
                            return false;
                        }
                    }
                }
            }
            // The extended protocol: one command per message, whatever the text holds.
            try (PreparedStatement st = admin.prepareStatement(statement)) {
                st.execute();
            }
            if (!login.ownLogin() && create) {
                // The history's later statements (as the sandbox role) may use what the extension made in a schema the
                // service's login created for it (CREATE EXTENSION … SCHEMA s CASCADE).
                try (Statement st = admin.createStatement()) {
                    st.execute("GRANT USAGE ON SCHEMA " + SqlNames.quote(extensionSchema(admin, name)) + " TO " + SqlNames.quote(login.role()));
                } catch (SQLException ignored) {
                    // A schema the role owns already, or one the service may not grant on: nothing more to give.
                }
            }
            return true;
        }
    }

    /**
     * The extension a {@code CREATE}, {@code ALTER} or {@code DROP EXTENSION} statement names (its first, for a DROP of
     * several), or empty for any other statement.
     */
    public static Optional<String> extensionName(String statement) {
        List<SqlScanner.Token> tokens = SqlScanner.tokens(statement).stream().filter(t -> t.depth() == 0).toList();
        if (tokens.size() < 3 || !List.of("CREATE", "ALTER", "DROP").contains(tokens.get(0).text().toUpperCase(java.util.Locale.ROOT))
                || !tokens.get(1).text().equalsIgnoreCase("EXTENSION")) {
            return Optional.empty();
        }
        int at = 2;
        while (at < tokens.size() && List.of("IF", "NOT", "EXISTS").contains(tokens.get(at).text().toUpperCase(java.util.Locale.ROOT))) {
            at++;
        }
        return at < tokens.size() ? Optional.of(tokens.get(at).name()) : Optional.empty();
    }

    private static String extensionSchema(Connection admin, String name) throws SQLException {
        try (PreparedStatement st = admin.prepareStatement("select n.nspname from pg_extension e join pg_namespace n"
                + " on n.oid = e.extnamespace where e.extname = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : "public";
            }
        }
    }

    /**
     * Keeps this database after {@link #close()} under {@code name} (a replay others clone). Returns false, and keeps
     * nothing, when a database of that name exists already (another replica kept the same one first).
     */
    public boolean keepAs(String name, String comment) throws SQLException {
        closeSessions();
        try (Connection admin = owner.server().admin(); Statement st = admin.createStatement()) {
            try {
                st.execute("ALTER DATABASE " + SqlNames.quote(database) + " RENAME TO " + SqlNames.quote(name));
            } catch (SQLException e) {
                if ("42P04".equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            }
            kept = true;
            st.execute("COMMENT ON DATABASE " + SqlNames.quote(name) + " IS " + SqlNames.literal(comment));
            return true;
        }
    }

    private void closeSessions() {
        for (Connection c : new Connection[] {session, history, generated}) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // The database is dropped with FORCE next.
                }
            }
        }
        session = null;
        history = null;
        generated = null;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeSessions();
        try {
            if (!kept) {
                owner.drop(database);
            }
        } finally {
            release.run();
        }
    }

    private static long seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
