package dev.mellon.migrator.engine.history;

import java.util.List;

/**
 * The tracking table cannot be given drizzle-orm 1.0's names safely: some rows record no migration of the folder, or
 * could record several. Nothing was changed.
 */
public final class TrackingUpgradeRefusedException extends RuntimeException {

    private final List<TrackingRow> unmatched;
    private final List<TrackingRow> ambiguous;

    public TrackingUpgradeRefusedException(List<TrackingRow> unmatched, List<TrackingRow> ambiguous) {
        super(message(unmatched, ambiguous));
        this.unmatched = List.copyOf(unmatched);
        this.ambiguous = List.copyOf(ambiguous);
    }

    private static String message(List<TrackingRow> unmatched, List<TrackingRow> ambiguous) {
        StringBuilder text = new StringBuilder("The tracking table cannot be upgraded to drizzle-orm 1.0's names: ");
        if (!unmatched.isEmpty()) {
            text.append(describe(unmatched)).append(unmatched.size() == 1 ? " records" : " record")
                    .append(" no migration of the folder by its hash (a migration deleted or squashed since it ran, a file"
                            + " edited since, or another folder's history)");
        }
        if (!ambiguous.isEmpty()) {
            text.append(unmatched.isEmpty() ? "" : "; ").append(describe(ambiguous))
                    .append(" could record more than one migration with the same file, and the created_at second does not"
                            + " tell which");
        }
        return text.append(". Nothing was changed; restore the missing files or settle the rows by hand, then upgrade again").toString();
    }

    private static String describe(List<TrackingRow> rows) {
        return "row" + (rows.size() == 1 ? " " : "s ") + String.join(", ", rows.stream()
                .map(r -> "id " + r.id() + " (hash " + r.hash().substring(0, Math.min(12, r.hash().length())) + "…, created_at "
                        + r.createdAt() + ")").toList());
    }

    public List<TrackingRow> unmatched() {
        return unmatched;
    }

    public List<TrackingRow> ambiguous() {
        return ambiguous;
    }
}
