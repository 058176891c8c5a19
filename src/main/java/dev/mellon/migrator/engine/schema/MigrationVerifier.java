package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.diff.Difference;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.schema.SchemaModel;

import java.util.List;
import java.util.Optional;

/** Proves new migrations before they are handed out: generate and rebase ask it before writing anything. */
public interface MigrationVerifier {

    /**
     * @param history the journal entries the new ones follow, in order
     * @param parent  the snapshot the new entries were generated from
     * @param added   the new entries, read as apply will read them
     * @param desired the schema they should produce
     */
    Verification verify(List<Migration> history, SchemaModel parent, List<Migration> added, SchemaModel desired);

    /**
     * What the history's SQL makes, where it disagrees with the snapshot new entries are generated from (a hand edit,
     * a snapshot drizzle-kit wrote without an object): empty when they agree, or when it cannot be known.
     */
    default Optional<HistoryState> historyState(List<Migration> history, SchemaModel parent, SchemaModel desired) {
        return Optional.empty();
    }

    /**
     * @param replayed     the schema the history's SQL makes, printed by PostgreSQL
     * @param desired      the desired schema built on its own, printed the same way
     * @param divergences  where {@code replayed} differs from the parent snapshot built on its own
     */
    record HistoryState(SchemaModel replayed, SchemaModel desired, List<Difference> divergences) {
        public HistoryState {
            divergences = List.copyOf(divergences);
        }
    }

    /** A verifier that proves nothing, and says why. */
    static MigrationVerifier unavailable(String reason) {
        return (history, parent, added, desired) -> new Verification.NotVerified(reason, 0);
    }
}
