package dev.mellon.migrator.ddl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.diff.Differ;
import dev.mellon.migrator.testing.ReferenceCase;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The SQL of every step kind against the real drizzle-kit 0.31.11: {@code reference/cases.json} holds, for 115
 * schema edits written in drizzle-orm, the two snapshots {@code generateDrizzleJson} made and the statements
 * {@code generateMigration} printed (recorded with drizzle-kit/api; no rename prompts). Our diff of the same two
 * snapshots must print the same migration file, except where drizzle-kit is wrong: those cases list our statements, and why.
 */
class DrizzleKitReferenceTest {

    /**
     * Cases where we print something else on purpose, each with its reason (docs/schema.md, "Deliberate differences from
     * drizzle-kit"), and our statements in full: {@code reference/deliberate.json}.
     */
    static Map<String, List<String>> deliberate() throws IOException {
        Map<String, List<String>> out = new java.util.HashMap<>();
        try (InputStream in = DrizzleKitReferenceTest.class.getResourceAsStream("/drizzle-kit/reference/deliberate.json")) {
            new ObjectMapper().readTree(in).fields().forEachRemaining(e -> {
                List<String> ours = new ArrayList<>();
                e.getValue().get("ours").forEach(s -> ours.add(s.asText()));
                out.put(e.getKey(), ours);
            });
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> sameStatementsAsDrizzleKit() throws IOException {
        Map<String, List<String>> deliberate = deliberate();
        List<DynamicTest> tests = new ArrayList<>();
        for (ReferenceCase c : ReferenceCase.all()) {
            tests.add(DynamicTest.dynamicTest(c.title(), () -> {
                List<String> ours = MigrationWriter.drizzle().write(new Differ(Differ.Options.exact()).diff(c.prev(), c.cur()).changes())
                        .stream().map(Statement::sql).toList();
                if (Boolean.getBoolean("reference.print")) {
                    System.out.println("OURS " + c.n() + " " + new ObjectMapper().writeValueAsString(ours));
                }
                // Compared as the migration file drizzle-kit would write: one element of its list can hold two statements.
                assertEquals(String.join(MigrationWriter.BREAKPOINT, deliberate.getOrDefault(c.n(), c.statements())),
                        String.join(MigrationWriter.BREAKPOINT, ours), c.title());
            }));
        }
        return tests.stream();
    }
}
