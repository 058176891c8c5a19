package dev.mellon.migrator.web;

import dev.mellon.migrator.engine.apply.ApplyRefusedException;
import dev.mellon.migrator.engine.history.MigrationState;
import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.TrackingRow;
import dev.mellon.migrator.folder.Migration;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Refusals map to their own problem types, naming entries, rows and the allowing flag. */
class RefusalProblemTest {

    private static final Migration AGAIN = new Migration(3, "0003_again", 300, true, "h", List.of("select 1"), null);

    @Test
    void movedNamesTheRecordedCreatedAtAndItsFlag() {
        TrackingRow row = new TrackingRow(1, "h", 100L);
        Problem p = problem(new ApplyRefusedException(ApplyRefusedException.Reason.MOVED,
                List.of(new MigrationStatus(AGAIN, MigrationState.MOVED, row, null, List.of(row)))));
        assertEquals("https://mellon-migrator.dev/problems/migration-moved", p.type);
        assertEquals(409, p.status);
        assertEquals("allowMoved", p.extensions().get("allowWith"));
        assertEquals(100L, entry(p).get("recordedCreatedAt"));
    }

    @Test
    void ambiguousNamesTheRowsAndNoFlag() {
        TrackingRow row = new TrackingRow(7, "x", 300L);
        Problem p = problem(new ApplyRefusedException(ApplyRefusedException.Reason.AMBIGUOUS,
                List.of(new MigrationStatus(AGAIN, MigrationState.AMBIGUOUS, null, null, List.of(row)))));
        assertEquals("https://mellon-migrator.dev/problems/migration-ambiguous", p.type);
        assertFalse(p.extensions().containsKey("allowWith"));
        assertEquals(List.of(row), entry(p).get("rows"));
    }

    @Test
    void strandedNamesTheHighWaterMark() {
        Problem p = problem(new ApplyRefusedException(ApplyRefusedException.Reason.STRANDED,
                List.of(new MigrationStatus(AGAIN, MigrationState.PENDING, null, null)), 400L));
        assertEquals("https://mellon-migrator.dev/problems/migration-would-strand", p.type);
        assertEquals("allowOutOfOrder", p.extensions().get("allowWith"));
        assertEquals(400L, p.extensions().get("highWaterMark"));
    }

    private static Problem problem(ApplyRefusedException e) {
        return (Problem) new ProblemMappers().refused(e).getEntity();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> entry(Problem p) {
        return ((List<Map<String, Object>>) p.extensions().get("migrations")).get(0);
    }
}
