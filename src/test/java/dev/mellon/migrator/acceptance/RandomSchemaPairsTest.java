package dev.mellon.migrator.acceptance;

import dev.mellon.migrator.ddl.MigrationWriter;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.schema.SchemaPlan;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.engine.schema.Verification;
import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.testing.ProofServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random schema pairs with a seed (printed on failure; set {@code -Drandom.seed=N} to replay, {@code -Drandom.pairs=N}
 * for more): A is a random schema, B a random mutation of it. The diff of A to B must be proven the way generate
 * proves a migration. Both are built from DDL in real databases, so every expression is PostgreSQL's own.
 */
class RandomSchemaPairsTest extends PairTest {

    private static ProofServer server;

    @BeforeAll
    static void sandboxes() {
        server = ProofServer.start("mellon_pairproof");
    }

    @AfterAll
    static void dropSandboxServer() {
        server.close();
    }

    @Test
    void diffAppliedToAMakesItB() throws SQLException {
        long seed = Long.getLong("random.seed", System.nanoTime());
        int pairs = Integer.getInteger("random.pairs", 100);
        Random random = new Random(seed);
        for (int i = 0; i < pairs; i++) {
            long pairSeed = random.nextLong();
            Schema a = Schema.random(new Random(pairSeed));
            Schema b = a.mutate(new Random(pairSeed ^ 0x5DEECE66DL));
            check(a, b, seed, i, pairSeed);
        }
    }

    /**
     * The plan from A to B, proven as generate proves a migration: applied to a replay of a history that made A (A's
     * DDL as its one entry), as apply runs it, and the result compared with B built on its own.
     */
    private static void check(Schema a, Schema b, long seed, int index, long pairSeed) throws SQLException {
        String where = "pair " + index + " of seed " + seed + " (pair seed " + pairSeed + ")\nA:\n" + a.ddl() + "\nB:\n" + b.ddl();
        pair.reset();
        SchemaPair.run(pair.a(), a.ddl());
        SchemaPair.run(pair.b(), b.ddl());
        SchemaModel modelA = SchemaPair.introspect(pair.a());
        SchemaModel modelB = SchemaPair.introspect(pair.b());
        SchemaPlan plan = planAtoB(modelB, SchemaComparer.Style.DRIZZLE);
        if (plan.isEmpty()) {
            return;
        }
        String sql = MigrationWriter.join(plan.statements());
        Verification proof = server.verifier().verify(List.of(FolderReader.migration(0, "0000_a", 1, a.ddl())), modelA,
                List.of(FolderReader.migration(1, "0001_b", 2, sql)), modelB);
        if (!proof.verified()) {
            fail("The plan is not proven, " + where + "\n" + proof + "\nplan:\n" + sql);
        }
    }

    /** A column as DDL parts. */
    record Col(String name, String type, boolean notNull, String dflt) {
        static void addColumn(List<Col> cols, Col col) {
            if (cols.stream().noneMatch(c -> c.name().equals(col.name()))) {
                cols.add(col);
            }
        }

        String ddl() {
            return "\"" + name + "\" " + type + (dflt == null ? "" : " DEFAULT " + dflt) + (notNull ? " NOT NULL" : "");
        }
    }

    /** A small schema: enums, tables with columns, an optional key, uniques, checks, indexes and foreign keys. */
    static final class Schema {
        static final List<String> TYPES = List.of("integer", "bigint", "smallint", "text", "varchar(20)", "varchar(40)",
                "boolean", "numeric(10, 2)", "timestamp with time zone", "date", "uuid", "jsonb", "text[]", "mood");
        final List<String> moods = new ArrayList<>();
        final Map<String, List<Col>> tables = new LinkedHashMap<>();
        final Map<String, String> keys = new LinkedHashMap<>();
        final List<String> extras = new ArrayList<>();

        static Schema random(Random r) {
            Schema s = new Schema();
            s.moods.addAll(List.of("sad", "ok", "happy"));
            int tables = 1 + r.nextInt(4);
            for (int t = 0; t < tables; t++) {
                String name = "t" + t;
                List<Col> cols = new ArrayList<>();
                cols.add(new Col("id", "integer", true, null));
                int n = 1 + r.nextInt(5);
                for (int c = 0; c < n; c++) {
                    cols.add(randomColumn(r, "c" + c));
                }
                s.tables.put(name, cols);
                if (r.nextBoolean()) {
                    s.keys.put(name, "id");
                }
            }
            for (String t : s.tables.keySet()) {
                s.addExtra(r, t);
            }
            return s;
        }

        static Col randomColumn(Random r, String name) {
            String type = TYPES.get(r.nextInt(TYPES.size()));
            return new Col(name, type, r.nextInt(3) == 0, r.nextInt(3) == 0 ? defaultFor(type, r) : null);
        }

        static String defaultFor(String type, Random r) {
            return switch (type) {
                case "integer", "bigint", "smallint" -> Integer.toString(r.nextInt(100));
                case "text", "varchar(20)", "varchar(40)" -> "'v" + r.nextInt(9) + "'";
                case "boolean" -> r.nextBoolean() ? "true" : "false";
                case "numeric(10, 2)" -> "1.5";
                case "timestamp with time zone" -> r.nextBoolean() ? "now()" : "now() + interval '" + (1 + r.nextInt(30)) + " days'";
                case "date" -> "CURRENT_DATE";
                case "uuid" -> "gen_random_uuid()";
                case "jsonb" -> "'{\"a\": " + r.nextInt(5) + "}'::jsonb";
                case "text[]" -> "'{a,b}'::text[]";
                default -> "'ok'";
            };
        }

        /** A unique, a check, an index or a foreign key on table {@code t}. */
        void addExtra(Random r, String t) {
            List<Col> cols = tables.get(t);
            Col c = cols.get(r.nextInt(cols.size()));
            int kind = r.nextInt(5);
            String suffix = switch (kind) {
                case 0 -> "_u\"";
                case 1 -> "_chk\"";
                case 2 -> "_idx\"";
                default -> "_fk\"";
            };
            if (extras.stream().anyMatch(x -> x.contains("\"" + t + "_") && x.contains(suffix))) {
                return; // one of each kind per table keeps names unique
            }
            switch (kind) {
                case 0 -> extras.add("ALTER TABLE \"" + t + "\" ADD CONSTRAINT \"" + t + "_" + c.name() + "_u\" UNIQUE (\"" + c.name() + "\")");
                case 1 -> {
                    if (c.type().equals("integer") || c.type().equals("bigint") || c.type().equals("smallint")) {
                        extras.add("ALTER TABLE \"" + t + "\" ADD CONSTRAINT \"" + t + "_" + c.name() + "_chk\" CHECK (\"" + c.name()
                                + "\" BETWEEN 0 AND " + (100 + r.nextInt(900)) + ")");
                    }
                }
                case 2 -> extras.add("CREATE INDEX \"" + t + "_" + c.name() + "_idx\" ON \"" + t + "\" (\"" + c.name() + "\""
                        + (r.nextBoolean() ? " DESC" : "") + ")" + (r.nextBoolean() ? " WHERE \"id\" > " + r.nextInt(10) : ""));
                case 3 -> {
                    String target = new ArrayList<>(keys.keySet()).isEmpty() ? null
                            : new ArrayList<>(keys.keySet()).get(r.nextInt(keys.size()));
                    if (target != null && !target.equals(t)) {
                        extras.add("ALTER TABLE \"" + t + "\" ADD CONSTRAINT \"" + t + "_" + target + "_fk\" FOREIGN KEY (\"id\") REFERENCES \""
                                + target + "\" (\"id\") ON DELETE " + (r.nextBoolean() ? "CASCADE" : "NO ACTION"));
                    }
                }
                default -> { }
            }
        }

        Schema copy() {
            Schema s = new Schema();
            s.moods.addAll(moods);
            tables.forEach((k, v) -> s.tables.put(k, new ArrayList<>(v)));
            s.keys.putAll(keys);
            s.extras.addAll(extras);
            return s;
        }

        /** One to four random edits. */
        Schema mutate(Random r) {
            Schema s = copy();
            int edits = 1 + r.nextInt(4);
            for (int e = 0; e < edits; e++) {
                List<String> names = new ArrayList<>(s.tables.keySet());
                String t = names.get(r.nextInt(names.size()));
                List<Col> cols = s.tables.get(t);
                int pick = 1 + r.nextInt(cols.size() - 1 > 0 ? cols.size() - 1 : 1);
                pick = Math.min(pick, cols.size() - 1);
                switch (r.nextInt(10)) {
                    case 0 -> addColumn(cols, new Col("n" + e + r.nextInt(99), "text", false, null));
                    case 1 -> addColumn(cols, new Col("m" + e + r.nextInt(99), "integer", true, "0"));
                    case 2 -> {
                        if (pick > 0) {
                            String gone = cols.remove(pick).name();
                            s.extras.removeIf(x -> x.contains("\"" + gone + "\""));
                        }
                    }
                    case 3 -> {
                        if (pick > 0) {
                            Col c = cols.get(pick);
                            cols.set(pick, new Col(c.name(), c.type(), !c.notNull(), c.dflt()));
                        }
                    }
                    case 4 -> {
                        if (pick > 0) {
                            Col c = cols.get(pick);
                            cols.set(pick, new Col(c.name(), c.type(), c.notNull(), c.dflt() == null ? defaultFor(c.type(), r) : null));
                        }
                    }
                    case 5 -> {
                        if (pick > 0) {
                            Col c = cols.get(pick);
                            String wider = switch (c.type()) {
                                case "smallint" -> "integer";
                                case "integer" -> "bigint";
                                case "varchar(20)" -> "varchar(40)";
                                case "varchar(40)" -> "text";
                                default -> null;
                            };
                            if (wider != null) {
                                cols.set(pick, new Col(c.name(), wider, c.notNull(), c.dflt()));
                            }
                        }
                    }
                    case 6 -> s.addExtra(r, t);
                    case 7 -> {
                        if (!s.extras.isEmpty()) {
                            s.extras.remove(r.nextInt(s.extras.size()));
                        }
                    }
                    case 8 -> {
                        String value = "m" + e + r.nextInt(99);
                        if (r.nextBoolean() && !s.moods.contains(value)) {
                            s.moods.add(r.nextInt(s.moods.size()), value);
                        } else {
                            s.moods.remove("happy");
                            s.tables.values().forEach(list -> list.replaceAll(c -> c.type().equals("mood") && "'happy'".equals(c.dflt())
                                    ? new Col(c.name(), c.type(), c.notNull(), null) : c));
                        }
                    }
                    default -> {
                        String name = "x" + e + r.nextInt(99);
                        if (!s.tables.containsKey(name)) {
                            List<Col> fresh = new ArrayList<>(List.of(new Col("id", "integer", true, null), randomColumn(r, "c0")));
                            s.tables.put(name, fresh);
                        }
                    }
                }
            }
            return s;
        }

        static void addColumn(List<Col> cols, Col col) {
            if (cols.stream().noneMatch(c -> c.name().equals(col.name()))) {
                cols.add(col);
            }
        }

        String ddl() {
            StringBuilder sql = new StringBuilder("CREATE TYPE mood AS ENUM (");
            sql.append(String.join(", ", moods.stream().map(m -> "'" + m + "'").toList())).append(");\n");
            tables.forEach((t, cols) -> {
                sql.append("CREATE TABLE \"").append(t).append("\" (");
                sql.append(String.join(", ", cols.stream().map(Col::ddl).toList()));
                if (keys.containsKey(t)) {
                    sql.append(", PRIMARY KEY (\"").append(keys.get(t)).append("\")");
                }
                sql.append(");\n");
            });
            extras.forEach(x -> sql.append(x).append(";\n"));
            return sql.toString();
        }
    }
}
