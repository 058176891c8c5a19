package dev.mellon.migrator.acceptance;

import dev.mellon.migrator.ddl.MigrationWriter;
import dev.mellon.migrator.diff.Hazard;
import dev.mellon.migrator.engine.schema.SchemaComparer;
import dev.mellon.migrator.engine.schema.SchemaPlan;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.testing.SchemaCases;
import dev.mellon.migrator.testing.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * For every case of {@code src/test/resources/acceptance/*.cases}: build A (old DDL) and B (new DDL) in real
 * databases, diff A to B, check the SQL and hazards against the case, apply the SQL to A, read A back: it equals B,
 * and a second diff is empty.
 */
class AcceptanceTest extends PairTest {

    static final Path CASES = Path.of("src/test/resources/acceptance");

    static List<SchemaCases.Case> cases() throws IOException {
        try (Stream<Path> files = Files.list(CASES)) {
            return files.filter(p -> p.toString().endsWith(".cases")).sorted()
                    .flatMap(p -> SchemaCases.read(p).cases().stream()).toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCase() throws IOException {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
    }

    private static final Pattern VIEWDEF = Pattern.compile("\\{\\{viewdef ([^.}]+)\\.([^}]+)}}");

    /**
     * The case's SQL with each {@code {{viewdef schema.view}}} replaced by B's own print of that view: PostgreSQL's
     * deparser writes view bodies differently from one major to the next ({@code u.id} up to 15, {@code id} from 16).
     */
    static String expectedSql(String sql) throws SQLException {
        Matcher m = VIEWDEF.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String body;
            try (var st = pair.b().prepareStatement("select pg_get_viewdef(format('%I.%I', ?::text, ?::text)::regclass, true)")) {
                st.setString(1, m.group(1));
                st.setString(2, m.group(2));
                try (var rs = st.executeQuery()) {
                    rs.next();
                    body = rs.getString(1).strip();
                }
            }
            // As the introspector keeps it: the body without its closing semicolon.
            m.appendReplacement(out, Matcher.quoteReplacement(body.endsWith(";") ? body.substring(0, body.length() - 1) : body));
        }
        m.appendTail(out);
        return out.toString();
    }

    static void check(SchemaCases.Case c) throws SQLException {
        Assumptions.assumeTrue(TestDatabase.serverMajor() >= c.since(), () -> c + " needs PostgreSQL " + c.since() + " ("
                + c.sinceReason() + ")");
        pair.reset();
        if (!c.oldDdl().isEmpty()) {
            SchemaPair.run(pair.a(), c.oldDdl());
        }
        if (!c.newDdl().isEmpty()) {
            SchemaPair.run(pair.b(), c.newDdl());
        }
        SchemaModel b = SchemaPair.introspect(pair.b());
        SchemaPlan plan = planAtoB(b, SchemaComparer.Style.DRIZZLE);
        String sql = MigrationWriter.join(plan.statements());
        if (!c.sql().equals("*")) {
            assertEquals(expectedSql(c.sql()), sql.strip(), "SQL of " + c);
        }
        Set<String> hazards = new TreeSet<>();
        plan.hazards().stream().map(Hazard::code).map(Hazard.Code::label).forEach(hazards::add);
        assertEquals(new TreeSet<>(c.hazards()), hazards, "hazards of " + c + ": " + plan.hazards());
        for (String statement : plan.sql()) {
            try {
                SchemaPair.run(pair.a(), statement);
            } catch (SQLException e) {
                fail("Statement failed for " + c + ": " + statement + "\n" + e.getMessage() + "\nwhole plan:\n" + sql);
            }
        }
        SchemaPlan again = planAtoB(b, SchemaComparer.Style.DRIZZLE);
        assertTrue(again.isEmpty(), "A migrated still differs from B for " + c + ": " + again.changes() + "\nplan was:\n" + sql);
    }
}
