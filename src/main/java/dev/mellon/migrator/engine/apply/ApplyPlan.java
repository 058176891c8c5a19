package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.folder.Migration;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one apply will run, decided before anything executes.
 *
 * @param steps               the entries to run, in journal order
 * @param notRun              the entries that stay unapplied (pending or moved) after a full run
 * @param highWaterMarkBefore the largest {@code created_at} before the run, or {@code null} for an empty table
 * @param warnings            what the caller should read although nothing was refused
 */
record ApplyPlan(List<MigrationStatus> steps, List<MigrationStatus> notRun, Long highWaterMarkBefore,
                 List<String> warnings) {

    ApplyPlan {
        steps = List.copyOf(steps);
        notRun = List.copyOf(notRun);
        warnings = List.copyOf(warnings);
    }

    List<Migration> migrations() {
        return steps.stream().map(MigrationStatus::migration).toList();
    }

    /** The largest {@code created_at} once the steps named by {@code done} are recorded. */
    Long highWaterMarkAfter(Collection<String> done) {
        Long mark = highWaterMarkBefore;
        for (MigrationStatus step : steps) {
            if (done.contains(step.tag())) {
                mark = mark == null ? step.migration().when() : Math.max(mark, step.migration().when());
            }
        }
        return mark;
    }

    /**
     * Entries this run pushes below drizzle's high-water mark once the steps named by {@code done} are committed:
     * unapplied, not done, with a {@code when} above the mark before the run and at or below the mark after it.
     * Entries that were below the mark already are out of order, and said so elsewhere.
     */
    List<MigrationStatus> strandedAfter(Collection<String> done) {
        Long after = highWaterMarkAfter(done);
        if (after == null) {
            return List.of();
        }
        return Stream.concat(steps.stream(), notRun.stream())
                .filter(s -> !done.contains(s.tag()))
                .filter(s -> s.migration().when() <= after
                        && (highWaterMarkBefore == null || s.migration().when() > highWaterMarkBefore))
                .sorted(Comparator.comparingInt(s -> s.migration().idx()))
                .toList();
    }
}
