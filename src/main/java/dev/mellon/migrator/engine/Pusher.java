package dev.mellon.migrator.engine;

import dev.mellon.migrator.ddl.Statement;
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
import java.util.Set;

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
        IntrospectOptions scope = new IntrospectOptions(SchemaInspector.schemasOf(desired.model()), NameFilter.all(),
                Set.of(tracking.schema() + "." + tracking.table(), tracking.schema() + "." + tracking.auditTable()));
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
            execute(session, plan.statements());
            return new Result(plan, true, (System.nanoTime() - started) / 1_000_000);
        });
    }

    /** All statements in one transaction: a failure anywhere leaves the database as it was. */
    private static void execute(Connection session, List<Statement> statements) throws SQLException {
        session.setAutoCommit(false);
        for (int i = 0; i < statements.size(); i++) {
            String sql = statements.get(i).sql();
            try (java.sql.Statement st = session.createStatement()) {
                st.setEscapeProcessing(false);
                st.execute(sql);
            } catch (SQLException e) {
                session.rollback();
                session.setAutoCommit(true);
                throw ServerError.of(e).failure("push", i + 1, sql, List.of(), List.of("push"), e);
            }
        }
        session.commit();
        session.setAutoCommit(true);
    }
}
