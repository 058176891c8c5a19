package dev.mellon.migrator.engine.schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.engine.sandbox.Extension;
import dev.mellon.migrator.engine.sandbox.Sandbox;
import dev.mellon.migrator.engine.sandbox.SandboxUnavailableException;
import dev.mellon.migrator.engine.sandbox.Sandboxes;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.SqlScanner;
import dev.mellon.migrator.introspect.IntrospectOptions;
import dev.mellon.migrator.introspect.Introspection;
import dev.mellon.migrator.introspect.Introspector;
import dev.mellon.migrator.schema.NameFilter;
import dev.mellon.migrator.engine.history.TrackingTable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * The schema a history produces, as PostgreSQL prints it: the entries' SQL replayed into a sandbox ({@link ReplayRun}).
 * The result is kept as a template database named after the content hash of the entries replayed (and the extensions
 * given first), with its model, so that asking again costs nothing, and a folder that grew clones the template of its
 * longest replayed prefix and replays only the new entries. Another replica, or this process after a restart, finds
 * a template by its name; what replay recorded about it is kept in the database's comment.
 */
public final class HistoryReplay {

    /** Every kept replay's database name starts so; a content hash follows. */
    public static final String PREFIX = "mellon_replay_";
    private static final String VERSION = "mellon-replay 1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(HistoryReplay.class.getName());

    private final Sandboxes sandboxes;
    private final TrackingTable tracking;
    private final int keep;
    private final ReentrantLock building = new ReentrantLock();
    private final Map<String, Replayed> cache = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param tracking drizzle's tracking table, made in every replay as apply finds it (and never read back)
     * @param keep     how many replays this process keeps (older templates are dropped as newer ones are made)
     */
    public HistoryReplay(Sandboxes sandboxes, TrackingTable tracking, int keep) {
        this.sandboxes = sandboxes;
        this.tracking = tracking;
        this.keep = Math.max(1, keep);
    }

    public Sandboxes sandboxes() {
        return sandboxes;
    }

    /**
     * The schema {@code entries} produce, in order, after {@code extensions} (those the target has; the ones the
     * history creates itself are left to it). A {@link ReplayFailedException} or {@link SandboxUnavailableException}
     * says why there is none.
     */
    public Replayed replay(List<Migration> entries, List<Extension> extensions) {
        long started = System.nanoTime();
        List<Extension> first = extensionsNotCreatedBy(entries, extensions);
        List<String> keys = keys(entries, first, tracking, sandboxes.login().role());
        building.lock();
        try {
            String finalKey = keys.get(keys.size() - 1);
            Map<String, String> kept = sandboxes.keptComments(PREFIX);
            Replayed known = find(finalKey, entries.size(), first, kept);
            if (known != null) {
                return known.asCached(millisSince(started));
            }
            // The longest prefix replayed before, here or by another replica: clone it and replay the rest.
            Replayed base = null;
            for (int i = entries.size() - 1; i >= 1 && base == null; i--) {
                base = find(keys.get(i), i, first, kept);
            }
            int from = base == null ? 0 : base.entries();
            Replayed made;
            try {
                made = build(base, entries, from, first, finalKey);
            } catch (SandboxUnavailableException e) {
                if (base == null) {
                    throw e;
                }
                // The template went away between the look and the copy (another replica dropped it): from the start.
                cache.remove(base.key());
                from = 0;
                made = build(null, entries, 0, first, finalKey);
            }
            remember(made);
            return new Replayed(made.key(), made.template(), made.lastTag(), made.entries(), made.model(), made.unmanaged(),
                    made.notReplayed(), made.extensions(), entries.size() - from, millisSince(started));
        } finally {
            building.unlock();
        }
    }

    private Replayed build(Replayed base, List<Migration> entries, int from, List<Extension> first, String key) {
        List<NotReplayed> skipped = new ArrayList<>(base == null ? List.of() : base.notReplayed());
        try (Sandbox sandbox = base == null ? sandboxes.open() : sandboxes.cloneOf(base.template())) {
            if (base == null) {
                for (Extension extension : first) {
                    if (!sandbox.createExtension(extension.name(), extension.schema(), true)) {
                        LOG.info("The target's extension " + extension.name() + " is not offered by the sandbox server;"
                                + " the replay goes on without it");
                    }
                }
            }
            ReplayRun run = new ReplayRun(sandbox);
            if (base == null) {
                run.prepare(tracking);
            }
            run.run(entries.subList(from, entries.size()));
            skipped.addAll(run.skipped());
            Introspection read = new Introspector().introspect(sandbox.session(), readOptions());
            String template = PREFIX + key.substring(0, 32);
            String lastTag = entries.isEmpty() ? null : entries.get(entries.size() - 1).tag();
            Replayed made = new Replayed(key, template, lastTag, entries.size(), read.schema(), read.unmanaged(), skipped, first,
                    entries.size() - from, 0);
            if (!sandbox.keepAs(template, comment(made))) {
                LOG.fine("Replay " + template + " was kept by another replica first; this one is dropped");
            }
            return made;
        } catch (SQLException e) {
            throw new SandboxUnavailableException("The replay's sandbox could not be used: " + e.getMessage()
                    + " [SQLSTATE " + e.getSQLState() + "]", e);
        }
    }

    /** A replay of this key: from this process's memory, or a template another replica (or an earlier start) kept. */
    private Replayed find(String key, int entries, List<Extension> first, Map<String, String> kept) {
        String template = PREFIX + key.substring(0, 32);
        Replayed cached = cache.get(key);
        if (cached != null) {
            if (kept.containsKey(template)) {
                return cached;
            }
            cache.remove(key); // dropped meanwhile (a sweep, another replica's eviction)
        }
        Stored stored = kept.containsKey(template) ? stored(kept.get(template)) : null;
        if (stored == null) {
            return null;
        }
        try {
            Introspection read = sandboxes.readKept(template, connection -> new Introspector().introspect(connection, readOptions()));
            Replayed found = new Replayed(key, template, stored.lastTag(), entries, read.schema(), read.unmanaged(),
                    stored.notReplayed(), first, 0, 0);
            remember(found);
            return found;
        } catch (Exception e) {
            LOG.fine("Replay " + template + " could not be reused: " + e.getMessage());
            return null;
        }
    }

    /** Everything but the tracking table. */
    IntrospectOptions readOptions() {
        return new IntrospectOptions(NameFilter.all(), NameFilter.all(), tracking.ownTables());
    }

    TrackingTable tracking() {
        return tracking;
    }

    private void remember(Replayed replayed) {
        cache.put(replayed.key(), replayed);
        while (cache.size() > keep) {
            String eldest = cache.keySet().iterator().next();
            Replayed evicted = cache.remove(eldest);
            sandboxes.dropKept(evicted.template());
        }
    }

    /**
     * What a kept template's comment holds, so that another process can reuse it without replaying; {@code kind} marks
     * the database as one of ours (a sweep drops nothing else, whatever its name).
     */
    record Stored(String kind, String created, String lastTag, int entries, List<NotReplayed> notReplayed) {
        static final String KIND = "mellon-migrator replay";
    }

    private static String comment(Replayed replayed) {
        try {
            return JSON.writeValueAsString(new Stored(Stored.KIND, Instant.now().toString(), replayed.lastTag(), replayed.entries(),
                    replayed.notReplayed()));
        } catch (Exception e) {
            return "{}";
        }
    }

    /** A kept replay's comment, or {@code null} when the database is not one of ours. */
    static Stored stored(String comment) {
        try {
            Stored stored = JSON.readValue(comment, Stored.class);
            return Stored.KIND.equals(stored.kind()) ? stored : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Drops the kept replays older than {@code maxAgeSeconds} (by their comment): those no instance has asked for in
     * a while are rebuilt when they are needed again.
     */
    public List<String> sweep(long maxAgeSeconds) {
        List<String> dropped = new ArrayList<>();
        Instant limit = Instant.now().minusSeconds(maxAgeSeconds);
        sandboxes.keptComments(PREFIX).forEach((name, comment) -> {
            Stored stored = stored(comment);
            if (stored != null && Instant.parse(stored.created()).isBefore(limit)
                    && cache.values().stream().noneMatch(r -> r.template().equals(name))) {
                sandboxes.dropKept(name);
                dropped.add(name);
            }
        });
        return dropped;
    }

    /** The target's extensions minus those some entry creates itself (it does so at its own point). */
    static List<Extension> extensionsNotCreatedBy(List<Migration> entries, List<Extension> extensions) {
        Set<String> created = extensionsCreatedBy(entries);
        return new TreeSet<>(extensions).stream().filter(e -> !created.contains(e.name())).toList();
    }

    /** The extensions the history's own statements create. */
    static Set<String> extensionsCreatedBy(List<Migration> entries) {
        Set<String> created = new TreeSet<>();
        for (Migration m : entries) {
            for (String chunk : m.statements()) {
                for (String statement : SqlScanner.statements(chunk)) {
                    if (SqlScanner.leadingKeyword(statement).equals("CREATE")) {
                        Sandbox.extensionName(statement).ifPresent(created::add);
                    }
                }
            }
        }
        return created;
    }

    /**
     * The content hash after each prefix: keys.get(i) covers the first i entries (and the extensions given first). The
     * sandbox role is part of it: a replay belongs to the role that made it (its schemas are that role's), so services
     * with other roles on one server never share one.
     */
    static List<String> keys(List<Migration> entries, List<Extension> first, TrackingTable tracking, String role) {
        List<String> keys = new ArrayList<>(entries.size() + 1);
        String key = sha256(VERSION + "\n" + role + "\n" + first + "\n" + tracking.qualifiedName());
        keys.add(key);
        for (Migration m : entries) {
            key = sha256(key + "\n" + m.tag() + "\n" + m.hash());
            keys.add(key);
        }
        return keys;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
