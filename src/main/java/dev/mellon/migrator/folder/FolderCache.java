package dev.mellon.migrator.folder;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The parsed migration folder, kept between requests so that a request with nothing changed reads no file and hashes
 * nothing.
 *
 * <p>Two ways to ask, by how much a stale answer would cost:
 * <ul>
 *   <li>{@link #verified()}, for apply and everything that writes: every file the folder's reading depends on (the two
 *       directories, the journal, every {@code .sql} file) is stat-ed and compared with what it was when the cached copy
 *       was read: size, modification time and inode. A file whose modification time was within
 *       {@link #RACY_WINDOW} of that moment is "racy" (the file system's clock is coarser than ours, so a second write in
 *       the same tick would leave the same stamp) and is never trusted: the folder is read again. Exact, at the cost of
 *       one {@code stat} per file, for every edit that moves the modification time; one that keeps the size and puts
 *       the old time back (as {@code tar} or {@code rsync -t} can) is seen only by the watcher.</li>
 *   <li>{@link #current()}, for reads (status, pending, the version gate): when a {@link WatchService} watches the
 *       folder, the cached copy is returned while no event arrived since it was read, its stamps are not racy, and the
 *       journal and both directories still stat the same (which catches every added, removed or renamed file and every
 *       journal change at once), and every stamp was found unchanged within the last {@link #RACY_WINDOW}. So only an
 *       in-place edit of an existing file older than the racy window relies on the watcher, which sees it as soon as
 *       its thread runs, and on a file system whose changes the watcher never hears of (a network mount) a read is at
 *       most that window stale. Without a working watcher, {@code current()} is {@code verified()}.</li>
 * </ul>
 *
 * <p>Stamps are taken before the files are read, so a change during a read leaves a stamp older than the content and
 * is seen by the next call. Failures are not cached: a folder that cannot be read is read again on the next call.
 */
public final class FolderCache implements Closeable {

    /**
     * How close to the moment of stamping a file's modification time makes it untrusted. File systems stamp with a
     * coarse clock (a kernel tick here; whole seconds on some), so a margin of whole seconds covers them all.
     */
    public static final java.time.Duration RACY_WINDOW = java.time.Duration.ofSeconds(2);

    private final FolderReader reader;
    private final Path folder;
    private final Clock clock;
    private final AtomicReference<Cached> cached = new AtomicReference<>();
    /** Bumped by the watcher on every event (and on overflow); a cached copy is valid only for the count it was read at. */
    private final AtomicLong events = new AtomicLong();
    private final WatchService watcher;
    private volatile boolean watchLost;
    /** The inode of the directory the watcher was registered on. */
    private volatile Object watchedKey;

    private FolderCache(FolderReader reader, Path folder, Clock clock, boolean watch) {
        this.reader = Objects.requireNonNull(reader);
        this.folder = Objects.requireNonNull(folder);
        this.clock = Objects.requireNonNull(clock);
        this.watcher = watch ? startWatching(folder) : null;
    }

    /** A cache that stats the files on every call (no thread, no watch handle): for short-lived engines and the CLI. */
    public static FolderCache verifying(FolderReader reader, Path folder) {
        return new FolderCache(reader, folder, Clock.systemUTC(), false);
    }

    /**
     * A cache whose reads trust a file-system watcher between changes: for the long-running service. Falls back to
     * {@link #verifying} behaviour if the folder cannot be watched (it does not exist yet, or the file system has no
     * change notification).
     */
    public static FolderCache watching(FolderReader reader, Path folder) {
        return new FolderCache(reader, folder, Clock.systemUTC(), true);
    }

    /** For tests of the racy rule: a clock other than the system's. */
    static FolderCache verifying(FolderReader reader, Path folder, Clock clock) {
        return new FolderCache(reader, folder, clock, false);
    }

    public Path path() {
        return folder;
    }

    /** Whether a watcher is running (reads between changes then cost no {@code stat} of the migration files). */
    public boolean watched() {
        return watcher != null && !watchLost;
    }

    /** The folder, exact: every file's stamp is checked before the cached copy is trusted. */
    public MigrationFolder verified() {
        Cached current = cached.get();
        // A watcher's event counts too: it also sees an edit that put the old modification time back.
        if (current != null && !current.racy && current.eventCount == events.get()
                && current.stamps.stream().allMatch(FolderCache::unchanged)) {
            cached.compareAndSet(current, current.checkedAt(clock.millis()));
            return current.folder;
        }
        return reload();
    }

    /** The folder for a read: see the class comment for what is checked. */
    public MigrationFolder current() {
        Cached current = cached.get();
        if (watcher == null || watchLost || current == null || current.racy
                || !Objects.equals(current.stamps.get(0).fileKey(), watchedKey)
                || clock.millis() - current.checkedAt >= RACY_WINDOW.toMillis()) {
            // No watcher, or one watching another directory than the path now names (a re-pointed symlink), or
            // the last full check is older than the window: a watcher that silently sees nothing (a network or
            // virtualised file system) costs at most that long a stale read.
            return verified();
        }
        if (current.eventCount != events.get()) {
            // The watcher saw a change, which may be one the stamps cannot show (a modification time put back).
            return reload();
        }
        for (Stamp stamp : current.stamps.subList(0, current.cheapStamps)) {
            if (!unchanged(stamp)) {
                return reload();
            }
        }
        return current.folder;
    }

    private MigrationFolder reload() {
        long eventCount = events.get();
        long stampedAt = clock.millis();
        List<Stamp> stamps = stamps();
        MigrationFolder read = reader.read(folder);
        long racyAfter = stampedAt - RACY_WINDOW.toMillis();
        boolean racy = stamps.stream().anyMatch(s -> s.modifiedMillis() >= racyAfter);
        cached.set(new Cached(read, List.copyOf(stamps), 3, racy, eventCount, stampedAt));
        return read;
    }

    /**
     * The folder, {@code meta/}, the journal (the cheap three, in that order), then every {@code .sql} file, and every
     * subdirectory with its {@code migration.sql} (a drizzle-kit 1.0 migration; the directory's own stamp moves when a
     * file in it is added, removed or renamed).
     */
    private List<Stamp> stamps() {
        List<Stamp> stamps = new ArrayList<>();
        stamps.add(stamp(folder));
        stamps.add(stamp(folder.resolve("meta")));
        stamps.add(stamp(folder.resolve(FolderReader.JOURNAL)));
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                files.sorted().forEach(p -> {
                    if (p.getFileName().toString().endsWith(".sql")) {
                        stamps.add(stamp(p));
                    } else if (Files.isDirectory(p) && !p.getFileName().toString().equals("meta")) {
                        stamps.add(stamp(p));
                        stamps.add(stamp(p.resolve(FolderFormat.MIGRATION_FILE)));
                    }
                });
            } catch (IOException e) {
                // The reader reports an unreadable folder; a stamp that cannot match makes the next call read again.
                stamps.add(new Stamp(folder, -3, Long.MIN_VALUE, new Object()));
            }
        }
        return stamps;
    }

    private static boolean unchanged(Stamp stamp) {
        return stamp.equals(stamp(stamp.path()));
    }

    /**
     * What a {@code stat} says of one path: size, modification time and file key (device and inode on Unix, so a file
     * replaced by a rename differs). A missing path has a stamp too, so that its creation is noticed.
     */
    record Stamp(Path path, long size, long modifiedNanos, Object fileKey) {
        static Stamp missing(Path path) {
            return new Stamp(path, -1, Long.MIN_VALUE, null);
        }

        long modifiedMillis() {
            return modifiedNanos == Long.MIN_VALUE ? Long.MIN_VALUE : modifiedNanos / 1_000_000;
        }
    }

    private static Stamp stamp(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new Stamp(path, attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                    attributes.fileKey());
        } catch (NoSuchFileException e) {
            return Stamp.missing(path);
        } catch (IOException e) {
            // Unreadable now: a stamp that equals no later stamp of a readable file.
            return new Stamp(path, -2, Long.MIN_VALUE, e.getClass().getName());
        }
    }

    /** @param checkedAt when every stamp was last found unchanged (or taken) */
    private record Cached(MigrationFolder folder, List<Stamp> stamps, int cheapStamps, boolean racy, long eventCount,
                          long checkedAt) {
        Cached checkedAt(long now) {
            return new Cached(folder, stamps, cheapStamps, racy, eventCount, now);
        }
    }

    private WatchService startWatching(Path folder) {
        WatchService service = null;
        try {
            service = FileSystems.getDefault().newWatchService();
            var kinds = new java.nio.file.WatchEvent.Kind<?>[]{StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY};
            // Only the folder itself: what the reading depends on in meta/ (the journal, the list of snapshots) is in the
            // cheap stamps that every read checks.
            folder.register(service, kinds);
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(service);
            return null;
        }
        watchedKey = stamp(folder).fileKey();
        WatchService watching = service;
        Thread thread = new Thread(() -> drain(watching), "folder-watch " + folder.getFileName());
        thread.setDaemon(true);
        thread.start();
        return watching;
    }

    private void drain(WatchService service) {
        try {
            while (true) {
                WatchKey key = service.take();
                key.pollEvents();
                events.incrementAndGet();
                if (!key.reset()) {
                    return; // the folder went away (deleted, or replaced by a new directory)
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedWatchServiceException e) {
            // closed: the engine is shutting down
        } finally {
            // However the thread ends, reads stop trusting it.
            watchLost = true;
        }
    }

    @Override
    public void close() {
        closeQuietly(watcher);
    }

    private static void closeQuietly(WatchService service) {
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                // nothing to release beyond the handle
            }
        }
    }
}
