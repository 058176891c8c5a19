package dev.mellon.migrator.engine.apply;

import dev.mellon.migrator.engine.history.MigrationStatus;
import dev.mellon.migrator.engine.history.Progress;

import java.util.List;

/**
 * The history does not allow a safe apply. Nothing was executed. The caller may allow each case explicitly, except
 * {@link Reason#AMBIGUOUS}: which rows belong to which entries must be settled by a person first.
 */
public final class ApplyRefusedException extends RuntimeException {

    public enum Reason {
        /** Applied files were edited; allowed with {@code allowChanged}. */
        CHANGED,
        /** Entries below drizzle's high-water mark; allowed with {@code allowOutOfOrder}. */
        OUT_OF_ORDER,
        /** Entries whose SQL already ran under another {@code created_at}; allowed with {@code allowMoved}. */
        MOVED,
        /** Rows that cannot be assigned to entries uniquely; never allowed. */
        AMBIGUOUS,
        /** The run would leave entries below the high-water mark it raises; allowed with {@code allowOutOfOrder}. */
        STRANDED,
        /** A run left migrations part-done outside a transaction; continued with {@code resume}. */
        INTERRUPTED,
        /** {@code resume} was asked for, but no migration is interrupted: the caller's picture of the history is wrong. */
        NOTHING_TO_RESUME;

        /** The problem type, also the failure named in the run history. */
        public String wireName() {
            return switch (this) {
                case CHANGED -> "migration-changed";
                case OUT_OF_ORDER -> "migration-out-of-order";
                case MOVED -> "migration-moved";
                case AMBIGUOUS -> "migration-ambiguous";
                case STRANDED -> "migration-would-strand";
                case INTERRUPTED -> "migration-interrupted";
                case NOTHING_TO_RESUME -> "nothing-to-resume";
            };
        }
    }

    private final Reason reason;
    private final List<MigrationStatus> offending;
    private final Long highWaterMark;

    public ApplyRefusedException(Reason reason, List<MigrationStatus> offending) {
        this(reason, offending, null);
    }

    /** @param highWaterMark for {@link Reason#STRANDED}, the mark the run would leave behind */
    public ApplyRefusedException(Reason reason, List<MigrationStatus> offending, Long highWaterMark) {
        super(message(reason, offending, highWaterMark));
        this.reason = reason;
        this.offending = List.copyOf(offending);
        this.highWaterMark = highWaterMark;
    }

    private static String message(Reason reason, List<MigrationStatus> offending, Long highWaterMark) {
        String tags = String.join(", ", offending.stream().map(MigrationStatus::tag).toList());
        return switch (reason) {
            case CHANGED -> "Applied migrations were edited after they ran (their SHA-256 differs from the tracking row): "
                    + tags + ". Restore the files, or pass allowChanged=true to go on and record the edit";
            case OUT_OF_ORDER -> "Migrations were added below the newest applied one, so drizzle would skip them forever: "
                    + tags + ". Pass allowOutOfOrder=true to apply them";
            case MOVED -> "The SQL of these migrations was applied before under another created_at (the journal's when "
                    + "was edited, or the same file was reverted and added again): " + String.join(", ",
                    offending.stream().map(ApplyRefusedException::moved).toList())
                    + ". Pass allowMoved=true to run them again as drizzle would";
            case AMBIGUOUS -> "Tracking rows cannot be assigned to these migrations uniquely, so whether they ran cannot "
                    + "be told: " + tags + ". Fix the journal's when values or the tracking rows by hand; no flag allows this";
            case STRANDED -> "This run would raise drizzle's high-water mark to " + highWaterMark + " and leave "
                    + tags + " unapplied below it, where drizzle skips them forever. Apply them too (drop \"to\" or "
                    + "move it), or pass allowOutOfOrder=true";
            case INTERRUPTED -> "A run stopped part-way through migrations that run outside a transaction, so some of their "
                    + "statements are done and their tracking rows are missing: " + String.join(", ",
                    offending.stream().map(ApplyRefusedException::interrupted).toList())
                    + ". Fix the cause if one failed, then pass resume=true to go on from the next statement";
            case NOTHING_TO_RESUME -> "resume=true was asked for, but no migration is interrupted; apply without resume";
        };
    }

    private static String moved(MigrationStatus s) {
        return s.tag() + " (when " + s.migration().when() + ", recorded with created_at "
                + (s.row() == null ? "?" : s.row().createdAt()) + ")";
    }

    private static String interrupted(MigrationStatus s) {
        Progress p = s.progress();
        return p == null ? s.tag() : s.tag() + " (" + p.statementsDone() + " of " + p.statementsTotal() + " statements done)";
    }

    public Reason reason() {
        return reason;
    }

    public List<MigrationStatus> offending() {
        return offending;
    }

    /** For {@link Reason#STRANDED}: the high-water mark the run would leave; {@code null} otherwise. */
    public Long highWaterMark() {
        return highWaterMark;
    }
}
