package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.engine.sandbox.Extension;
import dev.mellon.migrator.introspect.UnmanagedObject;
import dev.mellon.migrator.schema.SchemaModel;

import java.util.List;

/**
 * The schema a history's entries produce, read back from the sandbox they were replayed into.
 *
 * @param key            the content hash of the entries replayed (and the extensions given first)
 * @param template       the kept database it was read from, which later replays clone
 * @param lastTag        the last entry replayed, or {@code null} for none
 * @param entries        how many entries it holds
 * @param model          the schema, printed by PostgreSQL
 * @param unmanaged      functions, triggers and extensions it holds
 * @param notReplayed    the statements that did not run in the sandbox, with what the target says of them
 * @param extensions     the extensions created before the first entry (the target's, that the history does not create)
 * @param replayedNow    how many entries this call replayed (0 when it came from the cache)
 * @param millis         how long this call took
 */
public record Replayed(String key, String template, String lastTag, int entries, SchemaModel model,
                       List<UnmanagedObject> unmanaged, List<NotReplayed> notReplayed, List<Extension> extensions,
                       int replayedNow, long millis) {

    public Replayed {
        unmanaged = List.copyOf(unmanaged);
        notReplayed = List.copyOf(notReplayed);
        extensions = List.copyOf(extensions);
    }

    Replayed asCached(long tookMillis) {
        return new Replayed(key, template, lastTag, entries, model, unmanaged, notReplayed, extensions, 0, tookMillis);
    }
}
