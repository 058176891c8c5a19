package dev.mellon.migrator.engine.history;

import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.mellon.migrator.engine.history.MigrationState.AMBIGUOUS;
import static dev.mellon.migrator.engine.history.MigrationState.APPLIED;
import static dev.mellon.migrator.engine.history.MigrationState.CHANGED;
import static dev.mellon.migrator.engine.history.MigrationState.MOVED;
import static dev.mellon.migrator.engine.history.MigrationState.OUT_OF_ORDER;
import static dev.mellon.migrator.engine.history.MigrationState.PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How journal entries (tag, when, hash) and tracking rows (id, hash, created_at) are matched, one case per row of the
 * table. Each expectation names the state and the ids of the rows the entry owns (its row, or every candidate).
 */
class StatusCalculatorTest {

    static Stream<Case> cases() {
        return Stream.of(
                new Case("every entry has its exact row")
                        .entry("0000_a", 100, "a").entry("0001_b", 200, "b")
                        .row(1, "a", 100L).row(2, "b", 200L)
                        .expect("0000_a", APPLIED, 1).expect("0001_b", APPLIED, 2),
                new Case("an entry newer than every row is pending")
                        .entry("0000_a", 100, "a").entry("0001_b", 200, "b")
                        .row(1, "a", 100L)
                        .expect("0000_a", APPLIED, 1).expect("0001_b", PENDING),
                new Case("an entry below the high-water mark is out of order")
                        .entry("0000_a", 100, "a").entry("0001_b", 150, "b").entry("0002_c", 200, "c")
                        .row(1, "a", 100L).row(2, "c", 200L)
                        .expect("0000_a", APPLIED, 1).expect("0001_b", OUT_OF_ORDER).expect("0002_c", APPLIED, 2),
                new Case("a file edited after it ran is changed")
                        .entry("0000_a", 100, "a2")
                        .row(1, "a", 100L)
                        .expect("0000_a", CHANGED, 1),
                new Case("an edit accepted earlier (audited under the new hash) counts as applied")
                        .entry("0000_a", 100, "a2")
                        .row(1, "a", 100L).accepted(100, "a2")
                        .expect("0000_a", APPLIED, 1),
                new Case("the issue: reverted, then the same bytes added again with a newer when, is moved, not applied")
                        .entry("0001_b", 200, "b").entry("0002_c", 250, "c").entry("0003_again", 300, "first")
                        .row(1, "first", 100L).row(2, "b", 200L).row(3, "c", 250L)
                        .expect("0001_b", APPLIED, 2).expect("0002_c", APPLIED, 3).expect("0003_again", MOVED, 1),
                new Case("a journal when edited upwards after the entry ran is moved")
                        .entry("0000_a", 150, "a")
                        .row(1, "a", 100L)
                        .expect("0000_a", MOVED, 1),
                new Case("a journal when edited downwards after the entry ran is moved")
                        .entry("0000_a", 50, "a").entry("0001_b", 200, "b")
                        .row(1, "a", 100L).row(2, "b", 200L)
                        .expect("0000_a", MOVED, 1).expect("0001_b", APPLIED, 2),
                new Case("a when shared by two entries with exact rows: both applied")
                        .entry("0000_a", 100, "a").entry("0001_b", 100, "b")
                        .row(1, "b", 100L).row(2, "a", 100L)
                        .expect("0000_a", APPLIED, 2).expect("0001_b", APPLIED, 1),
                new Case("a when shared by two entries and one row matching neither: ambiguous")
                        .entry("0000_a", 100, "a").entry("0001_b", 100, "b")
                        .row(1, "x", 100L)
                        .expect("0000_a", AMBIGUOUS, 1).expect("0001_b", AMBIGUOUS, 1),
                new Case("a when shared by two entries, one exact row and one other row: the other entry changed")
                        .entry("0000_a", 100, "a").entry("0001_b", 100, "b")
                        .row(1, "a", 100L).row(2, "x", 100L)
                        .expect("0000_a", APPLIED, 1).expect("0001_b", CHANGED, 2),
                new Case("a when shared by two entries with one exact row: the other has none at its when")
                        .entry("0000_a", 100, "a").entry("0001_b", 100, "b")
                        .row(1, "a", 100L)
                        .expect("0000_a", APPLIED, 1).expect("0001_b", OUT_OF_ORDER),
                new Case("one entry and two rows at its when, neither exact: ambiguous")
                        .entry("0000_a", 100, "a")
                        .row(1, "x", 100L).row(2, "y", 100L)
                        .expect("0000_a", AMBIGUOUS, 1, 2),
                new Case("one entry and two rows at its when, one exact: applied, the other row unknown")
                        .entry("0000_a", 100, "a")
                        .row(1, "x", 100L).row(2, "a", 100L)
                        .expect("0000_a", APPLIED, 2).unknown(1),
                new Case("one entry and its exact row twice (drizzle run twice at once): applied, the copy unknown")
                        .entry("0000_a", 100, "a").entry("0001_b", 100, "b")
                        .row(1, "a", 100L).row(2, "a", 100L)
                        .expect("0000_a", APPLIED, 1).expect("0001_b", OUT_OF_ORDER).unknown(2),
                new Case("identical (when, hash) twice with one row: ambiguous")
                        .entry("0000_a", 100, "a").entry("0001_a", 100, "a")
                        .row(1, "a", 100L)
                        .expect("0000_a", AMBIGUOUS, 1).expect("0001_a", AMBIGUOUS, 1),
                new Case("identical (when, hash) twice with two rows: both applied")
                        .entry("0000_a", 100, "a").entry("0001_a", 100, "a")
                        .row(1, "a", 100L).row(2, "a", 100L)
                        .expect("0000_a", APPLIED, 1).expect("0001_a", APPLIED, 2),
                new Case("a NULL created_at is reported, is unknown, and does not raise the high-water mark")
                        .entry("0000_a", 100, "a").entry("0001_b", 200, "b")
                        .row(1, "a", 100L).row(2, "zz", null)
                        .expect("0000_a", APPLIED, 1).expect("0001_b", PENDING).unknown(2).nullCreatedAt(2)
                        .highWaterMark(100L),
                new Case("a NULL created_at row with an entry's hash: the entry is moved (drizzle will run it again)")
                        .entry("0000_a", 100, "a")
                        .row(1, "a", null)
                        .expect("0000_a", MOVED, 1).nullCreatedAt(1).highWaterMark(null),
                new Case("a row for an entry removed from the folder is unknown")
                        .entry("0000_a", 100, "a")
                        .row(1, "gone", 50L).row(2, "a", 100L)
                        .expect("0000_a", APPLIED, 2).unknown(1),
                new Case("two unmatched entries with one hash and one earlier row: both moved, owning that row")
                        .entry("0000_x", 200, "same").entry("0001_y", 300, "same")
                        .row(1, "same", 100L)
                        .expect("0000_x", MOVED, 1).expect("0001_y", MOVED, 1),
                new Case("an exact match is never taken away by a weaker one")
                        .entry("0000_a", 100, "a").entry("0001_a_again", 300, "a")
                        .row(1, "a", 100L)
                        .expect("0000_a", APPLIED, 1).expect("0001_a_again", PENDING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesRowsToEntries(Case c) {
        StatusReport report = StatusCalculator.calculate(c.folder(), c.rows, c.appliedAt);
        Map<String, String> actual = new LinkedHashMap<>();
        for (MigrationStatus s : report.migrations()) {
            actual.put(s.tag(), describe(s));
        }
        assertEquals(c.expected, actual);
        assertEquals(c.unknown, report.unknownRows().stream().map(TrackingRow::id).toList(), "unknown rows");
        assertEquals(c.nullCreatedAt, report.nullCreatedAt().stream().map(TrackingRow::id).toList(), "NULL created_at rows");
        if (c.checkHighWaterMark) {
            assertEquals(c.highWaterMark, report.highWaterMark(), "high-water mark");
        }
    }

    private static String describe(MigrationStatus s) {
        List<Long> owned = !s.candidateRows().isEmpty() ? s.candidateRows().stream().map(TrackingRow::id).toList()
                : s.row() == null ? List.of() : List.of(s.row().id());
        return s.state() + " " + owned;
    }

    /** One row of the table: entries in journal order, rows in id order, and what each entry should be. */
    static final class Case {
        final String name;
        final List<Migration> entries = new ArrayList<>();
        final List<TrackingRow> rows = new ArrayList<>();
        final Map<String, OffsetDateTime> appliedAt = new HashMap<>();
        final Map<String, String> expected = new LinkedHashMap<>();
        final List<Long> unknown = new ArrayList<>();
        final List<Long> nullCreatedAt = new ArrayList<>();
        Long highWaterMark;
        boolean checkHighWaterMark;

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

        Case accepted(long when, String hash) {
            appliedAt.put(StatusCalculator.auditKey(when, hash), OffsetDateTime.parse("2025-01-01T00:00:00Z"));
            return this;
        }

        Case expect(String tag, MigrationState state, long... rowIds) {
            expected.put(tag, state + " " + Stream.of(rowIds).flatMapToLong(java.util.Arrays::stream).boxed().toList());
            return this;
        }

        Case unknown(long... ids) {
            for (long id : ids) {
                unknown.add(id);
            }
            return this;
        }

        Case nullCreatedAt(long... ids) {
            for (long id : ids) {
                nullCreatedAt.add(id);
            }
            return this;
        }

        Case highWaterMark(Long value) {
            highWaterMark = value;
            checkHighWaterMark = true;
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
