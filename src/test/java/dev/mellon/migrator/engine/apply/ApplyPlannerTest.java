package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.core.TransactionMode;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.StatusCalculator;
import dev.mellon.migrator.engine.history.StatusReport;
import dev.mellon.migrator.engine.history.TrackingRow;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an apply would run, or why it refuses, for a history and the caller's options. No database needed. */
class ApplyPlannerTest {

    static Stream<Case> cases() {
        return Stream.of(
                new Case("pending entries run in journal order")
                        .entry("0000_a", 100, "a").entry("0001_b", 200, "b")
                        .expect("runs [0000_a, 0001_b]"),
                new Case("a target stops after its tag")
                        .entry("0000_a", 100, "a").entry("0001_b", 200, "b")
                        .options(o -> o.withTarget("0000_a"))
                        .expect("runs [0000_a]"),
                new Case("a target over non-increasing whens would strand the entry it leaves below the new mark")
                        .entry("0000_a", 100, "a").entry("0001_b", 300, "b").entry("0002_c", 200, "c")
                        .options(o -> o.withTarget("0001_b"))
                        .expect("refused STRANDED [0002_c]"),
                new Case("stranding is allowed with allowOutOfOrder, and said in a warning")
                        .entry("0000_a", 100, "a").entry("0001_b", 300, "b").entry("0002_c", 200, "c")
                        .options(o -> o.withTarget("0001_b").allowing(true, false))
                        .expect("runs [0000_a, 0001_b] warns 0002_c"),
                new Case("a target at the last of non-increasing whens strands nothing")
                        .entry("0000_a", 100, "a").entry("0001_b", 300, "b").entry("0002_c", 200, "c")
                        .options(o -> o.withTarget("0002_c"))
                        .expect("runs [0000_a, 0001_b, 0002_c]"),
                new Case("mode each over non-increasing whens runs everything when nothing fails")
                        .entry("0000_a", 100, "a").entry("0001_b", 300, "b").entry("0002_c", 200, "c")
                        .options(o -> o.withTransactionMode(TransactionMode.EACH))
                        .expect("runs [0000_a, 0001_b, 0002_c]"),
                new Case("a target below an already applied when strands nothing new (the entry was out of order already)")
                        .entry("0000_a", 100, "a").entry("0001_b", 150, "b").entry("0002_c", 300, "c").entry("0003_d", 400, "d")
                        .row(1, "a", 100L).row(2, "c", 300L)
                        .options(o -> o.withTarget("0000_a").allowing(true, false))
                        .expect("runs []"),
                new Case("the issue: the same bytes re-added with a newer when are refused as moved")
                        .entry("0001_b", 200, "b").entry("0003_again", 300, "first")
                        .row(1, "first", 100L).row(2, "b", 200L)
                        .expect("refused MOVED [0003_again]"),
                new Case("allowMoved runs a moved entry as drizzle would")
                        .entry("0001_b", 200, "b").entry("0003_again", 300, "first")
                        .row(1, "first", 100L).row(2, "b", 200L)
                        .options(o -> o.allowingMoved(true))
                        .expect("runs [0003_again]"),
                new Case("a moved entry below the high-water mark also needs allowOutOfOrder")
                        .entry("0000_a", 50, "a").entry("0001_b", 200, "b")
                        .row(1, "a", 100L).row(2, "b", 200L)
                        .options(o -> o.allowingMoved(true))
                        .expect("refused OUT_OF_ORDER [0000_a]"),
                new Case("a moved entry below the high-water mark runs with both flags")
                        .entry("0000_a", 50, "a").entry("0001_b", 200, "b")
                        .row(1, "a", 100L).row(2, "b", 200L)
                        .options(o -> o.allowingMoved(true).allowing(true, false))
                        .expect("runs [0000_a]"),
                new Case("ambiguous rows refuse every apply, whatever is allowed")
                        .entry("0000_a", 100, "a").entry("0001_b", 100, "b").entry("0002_c", 200, "c")
                        .row(1, "x", 100L)
                        .options(o -> o.allowingMoved(true).allowing(true, true))
                        .expect("refused AMBIGUOUS [0000_a, 0001_b]"),
                new Case("a changed file is refused")
                        .entry("0000_a", 100, "a2").entry("0001_b", 200, "b")
                        .row(1, "a", 100L)
                        .expect("refused CHANGED [0000_a]"),
                new Case("a changed file allowed does not run again")
                        .entry("0000_a", 100, "a2").entry("0001_b", 200, "b")
                        .row(1, "a", 100L)
                        .options(o -> o.allowing(false, true))
                        .expect("runs [0001_b]"),
                new Case("an out-of-order entry is refused")
                        .entry("0000_a", 100, "a").entry("0001_b", 150, "b").entry("0002_c", 200, "c")
                        .row(1, "a", 100L).row(2, "c", 200L)
                        .expect("refused OUT_OF_ORDER [0001_b]"),
                new Case("an out-of-order entry allowed runs")
                        .entry("0000_a", 100, "a").entry("0001_b", 150, "b").entry("0002_c", 200, "c")
                        .row(1, "a", 100L).row(2, "c", 200L)
                        .options(o -> o.allowing(true, false))
                        .expect("runs [0001_b]"),
                new Case("a NULL created_at is warned about: drizzle would re-run everything")
                        .entry("0000_a", 100, "a").entry("0001_b", 200, "b")
                        .row(1, "a", 100L).row(2, "zz", null)
                        .expect("runs [0001_b] warns NULL created_at"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plans(Case c) {
        StatusReport report = StatusCalculator.calculate(c.folder(), c.rows, Map.of());
        String actual;
        try {
            ApplyPlan plan = ApplyPlanner.plan(report, c.options);
            actual = "runs " + plan.migrations().stream().map(Migration::tag).toList();
            if (c.warningMentions != null) {
                assertTrue(plan.warnings().stream().anyMatch(w -> w.contains(c.warningMentions)), plan.warnings().toString());
            }
        } catch (ApplyRefusedException e) {
            actual = "refused " + e.reason() + " " + e.offending().stream().map(MigrationStatus::tag).toList();
        }
        assertEquals(c.expected, actual);
    }

    @Test
    void aFailureInModeEachStrandsWhatTheCommittedPartLeftBelowItsMark() {
        Case c = new Case("mode each").entry("0000_a", 100, "a").entry("0001_b", 300, "b").entry("0002_c", 200, "c");
        ApplyPlan plan = ApplyPlanner.plan(StatusCalculator.calculate(c.folder(), List.of(), Map.of()),
                ApplyOptions.defaults().withTransactionMode(TransactionMode.EACH));
        assertEquals(List.of(), tags(plan.strandedAfter(Set.of())));
        assertEquals(List.of(), tags(plan.strandedAfter(Set.of("0000_a"))));
        assertEquals(List.of("0002_c"), tags(plan.strandedAfter(Set.of("0000_a", "0001_b"))));
        assertEquals(List.of(), tags(plan.strandedAfter(Set.of("0000_a", "0001_b", "0002_c"))));
    }

    private static List<String> tags(List<MigrationStatus> statuses) {
        return statuses.stream().map(MigrationStatus::tag).toList();
    }

    static final class Case {
        final String name;
        final List<Migration> entries = new ArrayList<>();
        final List<TrackingRow> rows = new ArrayList<>();
        ApplyOptions options = ApplyOptions.defaults();
        String expected;
        String warningMentions;

        Case(String name) {
            this.name = name;
        }

        Case entry(String tag, long when, String hash) {
            entries.add(new Migration(entries.size(), tag, when, true, hash, List.of("select 1"), null));
            return this;
        }

        Case row(long id, String hash, Long createdAt) {
            rows.add(new TrackingRow(id, hash, createdAt));
            return this;
        }

        Case options(UnaryOperator<ApplyOptions> change) {
            options = change.apply(options);
            return this;
        }

        /** "runs [tags]" or "refused REASON [tags]", optionally followed by " warns <text a warning contains>". */
        Case expect(String outcome) {
            int warns = outcome.indexOf(" warns ");
            expected = warns < 0 ? outcome : outcome.substring(0, warns);
            warningMentions = warns < 0 ? null : outcome.substring(warns + " warns ".length());
            return this;
        }

        MigrationFolder folder() {
            return new MigrationFolder(Path.of("migrations"), "postgresql", entries, List.of());
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
