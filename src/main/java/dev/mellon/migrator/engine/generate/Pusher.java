package dev.mellon.migrator.engine.generate;

import dev.mellon.migrator.engine.apply.Migrator;
import dev.mellon.migrator.engine.apply.ServerError;
import dev.mellon.migrator.engine.core.DataLossRefusedException;
import dev.mellon.migrator.engine.history.TrackingTable;
import dev.mellon.migrator.engine.schema.Canonicalizer;
import dev.mellon.migrator.engine.schema.GenerateRefusedException;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.schema.SchemaInspector;
import dev.mellon.migrator.engine.schema.SchemaPlan;
import dev.mellon.migrator.engine.schema.SchemaSource;
import dev.mellon.migrator.ddl.Statement;
import dev.mellon.migrator.diff.Change;
import dev.mellon.migrator.diff.Rename;
import dev.mellon.migrator.introspect.IntrospectOptions;
import dev.mellon.migrator.introspect.Introspector;
import dev.mellon.migrator.schema.NameFilter;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SnapshotCodec;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * {@code drizzle-kit push}, made safe: the live database is brought to a desired schema in ONE transaction, under
 * the same advisory lock as apply, and steps that delete data are refused unless the caller accepts them. The
 * migration folder and the tracking table are not touched.
 */
public final class Pusher {

    private final Migrator migrator;
    private final SchemaComparer comparer;
    private final Canonicalizer canonicalizer;
    private final SnapshotCodec codec;

    public Pusher(Migrator migrator, SchemaComparer comparer, Canonicalizer canonicalizer, SnapshotCodec codec) {
        this.migrator = migrator;
        this.comparer = comparer;
        this.canonicalizer = canonicalizer;
        this.codec = codec;
    }

    public record Request(String snapshot, String sql, List<Rename> renames, boolean acceptDataLoss, boolean dryRun,
                          Duration lockWait) {
        public Request {
            renames = renames == null ? List.of() : List.copyOf(renames);
        }
    }

    public record Result(SchemaPlan plan, boolean executed, long millis) {
    }

    public Result push(Request request) {
        if ((request.snapshot() == null) == (request.sql() == null)) {
            throw new GenerateRefusedException(GenerateRefusedException.Reason.INVALID_REQUEST,
                    "Send exactly one of snapshot (a Drizzle v7 snapshot) and sql (DDL of the desired schema)");
        }
        SchemaSource desired = request.snapshot() != null
                ? SchemaSource.snapshot("snapshot", codec.read(request.snapshot(), "snapshot").schema())
                : SchemaSource.postgres("sql", canonicalizer.fromSql(request.sql()));
        TrackingTable tracking = migrator.trackingTable();
        // The schemas the desired schema uses, and those a rename hint moves out of.
        NameFilter scopeSchemas = SchemaInspector.schemasOf(desired.model(), request.renames().stream()
                .filter(r -> r.kind() == dev.mellon.migrator.diff.Rename.Kind.SCHEMA).map(dev.mellon.migrator.diff.Rename::from).toList());
        IntrospectOptions scope = new IntrospectOptions(scopeSchemas, NameFilter.all(),
                tracking.ownTables());
        return migrator.withLock(request.lockWait(), session -> {
            long started = System.nanoTime();
            SchemaModel live = new Introspector().introspect(session, scope).schema();
            SchemaPlan plan = comparer.plan(SchemaSource.postgres("database", live), desired, request.renames(),
                    SchemaComparer.Style.SINGLE_TRANSACTION);
            // A dry run shows the plan with its hazards; only executing it is refused.
            if (request.dryRun() || plan.isEmpty()) {
                return new Result(plan, false, (System.nanoTime() - started) / 1_000_000);
            }
            if (!plan.dataLoss().isEmpty() && !request.acceptDataLoss()) {
                throw new DataLossRefusedException(plan.dataLoss());
            }
            if (plan.comparison().equals("textual")) {
                // A textual comparison can see a re-printed expression as a change and drop and re-create it for real.
                throw new GenerateRefusedException(GenerateRefusedException.Reason.UNSAFE,
                        "Push needs a canonical comparison, and none could be had: " + String.join("; ", plan.warnings()));
            }
            execute(session, plan.statements());
            return new Result(plan, true, (System.nanoTime() - started) / 1_000_000);
        });
    }

    /**
     * All statements in one transaction: a failure anywhere leaves the database as it was. Enum values added by the
     * plan are committed first, on their own: PostgreSQL refuses to use a value in the transaction that adds it
     * (55P04), and an added value harms nothing.
     */
    private static void execute(Connection session, List<Statement> statements) throws SQLException {
        List<Statement> values = statements.stream().filter(s -> s.change() instanceof Change.AddEnumValue).toList();
        List<Statement> rest = statements.stream().filter(s -> !(s.change() instanceof Change.AddEnumValue)).toList();
        if (!values.isEmpty()) {
            inTransaction(session, values, 0);
        }
        inTransaction(session, rest, values.size());
    }

    private static void inTransaction(Connection session, List<Statement> statements, int offset) throws SQLException {
        session.setAutoCommit(false);
        int i = 0;
        String sql = "COMMIT";
        try {
            for (; i < statements.size(); i++) {
                sql = statements.get(i).sql();
                try (java.sql.Statement st = session.createStatement()) {
                    st.setEscapeProcessing(false);
                    st.execute(sql);
                }
            }
            sql = "COMMIT";
            session.commit();
        } catch (SQLException e) {
            try {
                session.rollback();
            } catch (SQLException ignored) {
                // A broken session rolls back on the server when it closes.
            }
            throw ServerError.of(e).failure("push", offset + i + 1, sql, List.of(), List.of("push"), List.of(), e);
        } finally {
            try {
                session.setAutoCommit(true);
            } catch (SQLException ignored) {
                // The session is closed after the push anyway.
            }
        }
    }
}
