package dev.mellon.migrator.engine;

import java.util.List;

/**
 * The history does not allow a safe apply: applied files were edited, or entries would run out of order. Nothing was
 * executed. The caller may allow either case explicitly.
 */
public final class ApplyRefusedException extends RuntimeException {

    public enum Reason { CHANGED, OUT_OF_ORDER }

    private final Reason reason;
    private final List<MigrationStatus> offending;

    public ApplyRefusedException(Reason reason, List<MigrationStatus> offending) {
        super(message(reason, offending));
        this.reason = reason;
        this.offending = List.copyOf(offending);
    }

    private static String message(Reason reason, List<MigrationStatus> offending) {
        String tags = String.join(", ", offending.stream().map(MigrationStatus::tag).toList());
        return switch (reason) {
            case CHANGED -> "Applied migrations were edited after they ran (their SHA-256 differs from the tracking row): "
                    + tags + ". Restore the files, or pass allowChanged=true to go on and record the edit";
            case OUT_OF_ORDER -> "Migrations were added below the newest applied one, so drizzle would skip them forever: "
                    + tags + ". Pass allowOutOfOrder=true to apply them";
        };
    }

    public Reason reason() {
        return reason;
    }

    public List<MigrationStatus> offending() {
        return offending;
    }
}
