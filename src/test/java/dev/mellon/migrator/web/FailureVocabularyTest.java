package dev.mellon.migrator.web;

import dev.mellon.migrator.engine.apply.ApplyRefusedException;
import dev.mellon.migrator.engine.core.DataLossRefusedException;
import dev.mellon.migrator.engine.apply.FailureKind;
import dev.mellon.migrator.engine.lock.LockNotAcquiredException;
import dev.mellon.migrator.engine.lock.LockStatus;
import dev.mellon.migrator.engine.apply.MigrationFailedException;
import dev.mellon.migrator.engine.lock.TooManyWaitersException;
import dev.mellon.migrator.engine.history.TrackingRow;
import dev.mellon.migrator.engine.history.TrackingUpgradeRefusedException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The problem the REST layer and the CLI's {@code --json} answer a failure with names the same type and status as the
 * failure's {@link FailureKind}, which the run history, the metrics and the exit codes read too.
 */
class FailureVocabularyTest {

    private static MigrationFailedException failed(String sqlState) {
        return new MigrationFailedException("0001_x", 1, "CREATE INDEX …", sqlState, "it failed", null, null, null,
                List.of(), List.of("0001_x"), List.of(), null);
    }

    @Test
    void everyApplyFailureIsAnsweredAsItsKindSays() {
        Map<Throwable, FailureKind> failures = new java.util.LinkedHashMap<>();
        failures.put(failed("42P07"), FailureKind.MIGRATION_FAILED);
        failures.put(failed("57014"), FailureKind.MIGRATION_TIMED_OUT);
        failures.put(failed("25001"), FailureKind.STATEMENT_NOT_ALLOWED_IN_TRANSACTION);
        failures.put(new LockNotAcquiredException(10, new LockStatus("drizzle.__drizzle_migrations", 1, 2, null, List.of())),
                FailureKind.LOCK_TIMEOUT);
        failures.put(new TooManyWaitersException(3), FailureKind.TOO_MANY_WAITERS);
        failures.put(new DataLossRefusedException(List.of()), FailureKind.DATA_LOSS_REFUSED);
        failures.put(new TrackingUpgradeRefusedException(List.of(new TrackingRow(7, "abc", 1L)), List.of()),
                FailureKind.TRACKING_UPGRADE_REFUSED);
        failures.put(new IllegalStateException("boom"), FailureKind.ERROR);
        List<String> wrong = new ArrayList<>();
        failures.forEach((failure, kind) -> {
            Problem problem = ProblemDocuments.of(failure);
            if (FailureKind.of(failure) != kind || !kind.wireName().equals(problem.type.substring(problem.type.lastIndexOf('/') + 1))
                    || kind.httpStatus() != problem.status) {
                wrong.add(failure.getClass().getSimpleName() + ": kind " + FailureKind.of(failure) + ", problem " + problem.type
                        + " " + problem.status);
            }
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void aRefusalIsNamedByItsReasonWithTheKindsStatus() {
        for (ApplyRefusedException.Reason reason : ApplyRefusedException.Reason.values()) {
            Problem problem = ProblemDocuments.of(new ApplyRefusedException(reason, List.of()));
            assertEquals(reason.wireName(), problem.type.substring(problem.type.lastIndexOf('/') + 1), reason.name());
            assertEquals(FailureKind.APPLY_REFUSED.httpStatus(), problem.status, reason.name());
        }
    }
}
