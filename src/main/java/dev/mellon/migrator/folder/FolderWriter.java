package dev.mellon.migrator.folder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.schema.JsonWriter;
import dev.mellon.migrator.schema.Literal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Adds a migration to a folder the way drizzle-kit does: the SQL file, the snapshot, then the journal
 * rewritten as {@code JSON.stringify(journal, null, 2)}. Each file is written to a temporary name and renamed into
 * place, and the journal goes last, so a reader never sees a journal entry whose files are not there yet.
 */
public final class FolderWriter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.Map<Path, java.util.concurrent.locks.ReentrantLock> FOLDER_LOCKS =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final String EMPTY_JOURNAL = "{\"version\":\"7\",\"dialect\":\"postgresql\",\"entries\":[]}";

    /**
     * The three files of a new migration, as text, and optionally its hand-editable down migration.
     *
     * @param downFile {@code <tag>.down.sql}, or {@code null} when none is written
     */
    public record NewMigration(String tag, String sqlFile, String sql, String snapshotFile, String snapshot, String journal,
                               String downFile, String down) {
        public NewMigration(String tag, String sqlFile, String sql, String snapshotFile, String snapshot, String journal) {
            this(tag, sqlFile, sql, snapshotFile, snapshot, journal, null, null);
        }

        public NewMigration withDown(String downFile, String down) {
            return new NewMigration(tag, sqlFile, sql, snapshotFile, snapshot, journal, downFile, down);
        }

        /**
         * The snapshot relative to the folder: {@code meta/<snapshotFile>} for a journal entry; a drizzle-kit 1.0
         * directory's migration has no journal and names its {@code <directory>/snapshot.json} in full.
         */
        public String snapshotPath() {
            return journal == null ? snapshotFile : "meta/" + snapshotFile;
        }
    }

    /**
     * Runs {@code work} while no other writer of this process writes the same folder (generate, rebase). Writers in
     * other processes are caught by the journal check in {@link #write}.
     */
    public static <T> T exclusive(Path folder, java.util.function.Supplier<T> work) {
        java.util.concurrent.locks.ReentrantLock lock = FOLDER_LOCKS.computeIfAbsent(folder.toAbsolutePath().normalize(),
                p -> new java.util.concurrent.locks.ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** The journal's bytes as read, or {@code null} when the folder has none yet. */
    public static byte[] readJournal(Path folder) {
        Path file = folder.resolve(FolderReader.JOURNAL);
        try {
            return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            throw new FolderException(FolderException.Kind.JOURNAL_INVALID, FolderReader.JOURNAL, null,
                    "Can't read meta/_journal.json: " + IoReasons.of(e), e);
        }
    }

    /** The journal text with one entry appended, every earlier entry and key kept as it was. */
    public static String appendEntry(byte[] journal, int idx, long when, String tag) {
        return moveEntry(journal, null, idx, when, tag);
    }

    /**
     * The journal text without the entry {@code removedTag} (if given) and with a new entry appended; every other
     * entry and key kept as it was.
     */
    public static String moveEntry(byte[] journal, String removedTag, int idx, long when, String tag) {
        JsonNode root;
        try {
            root = JSON.readTree(journal == null ? EMPTY_JOURNAL.getBytes(StandardCharsets.UTF_8) : journal);
        } catch (IOException e) {
            throw new FolderException(FolderException.Kind.JOURNAL_INVALID, FolderReader.JOURNAL, null,
                    "meta/_journal.json is not valid JSON: " + e.getMessage(), e);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) plain(root);
        Object entries = map.get("entries");
        List<Object> list = entries instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
        if (removedTag != null) {
            list.removeIf(e -> e instanceof Map<?, ?> m && removedTag.equals(m.get("tag")));
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("idx", Literal.number(Integer.toString(idx)));
        entry.put("version", "7");
        entry.put("when", Literal.number(Long.toString(when)));
        entry.put("tag", tag);
        entry.put("breakpoints", Boolean.TRUE);
        list.add(entry);
        map.put("entries", list);
        return JsonWriter.write(map);
    }

    /** Jackson's tree as the maps, lists and literals {@link JsonWriter} prints, numbers spelled as they were read. */
    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                out.put(f.getKey(), plain(f.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>();
            node.forEach(n -> out.add(plain(n)));
            return out;
        }
        if (node.isNumber()) {
            return Literal.number(node.asText());
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isNull()) {
            return null;
        }
        return node.asText();
    }

    /**
     * Writes the migration. {@code journalAsRead} is the journal the migration was planned from: if the file now
     * holds anything else, another writer won and nothing is written.
     */
    public void write(Path folder, NewMigration migration, byte[] journalAsRead) {
        write(folder, migration, journalAsRead, List.of());
    }

    /** As {@link #write(Path, NewMigration, byte[])}, then deletes {@code obsolete} files once the journal is in place. */
    public void write(Path folder, NewMigration migration, byte[] journalAsRead, List<String> obsolete) {
        try {
            Files.createDirectories(folder.resolve("meta"));
            if (!Arrays.equals(readJournal(folder), journalAsRead)) {
                throw new FolderChangedException("meta/_journal.json changed since it was read (another generate won?); "
                        + "nothing was written, run again");
            }
            List<String> names = new java.util.ArrayList<>(List.of(migration.sqlFile(), "meta/" + migration.snapshotFile()));
            if (migration.downFile() != null) {
                names.add(migration.downFile());
            }
            for (String name : names) {
                if (Files.exists(folder.resolve(name))) {
                    throw new FolderChangedException(name + " already exists; nothing was written");
                }
            }
            Path sql = folder.resolve(migration.sqlFile());
            Path snapshot = folder.resolve("meta").resolve(migration.snapshotFile());
            Path down = migration.downFile() == null ? null : folder.resolve(migration.downFile());
            try {
                replace(sql, migration.sql());
                replace(snapshot, migration.snapshot());
                if (down != null) {
                    replace(down, migration.down());
                }
                replace(folder.resolve(FolderReader.JOURNAL), migration.journal());
            } catch (IOException | RuntimeException e) {
                // The journal is the commit point: without it, the new files must not stay (a lone snapshot would
                // look like a second child of its parent to every later generate).
                Files.deleteIfExists(sql);
                Files.deleteIfExists(snapshot);
                if (down != null) {
                    Files.deleteIfExists(down);
                }
                throw e;
            }
            for (String name : obsolete) {
                Files.deleteIfExists(folder.resolve(name));
            }
        } catch (AccessDeniedException e) {
            throw new FolderNotWritableException("The migration folder is not writable: permission denied", e);
        } catch (FileSystemException e) {
            throw new FolderNotWritableException("The migration folder could not be written: " + IoReasons.of(e), e);
        } catch (IOException e) {
            throw new FolderNotWritableException("The migration folder could not be written: " + IoReasons.of(e), e);
        }
    }

    /**
     * Writes a drizzle-kit 1.0 migration: its files into a hidden directory, which is then renamed into place, so a
     * reader sees the whole directory or none of it. Refused, with nothing written, when the folder's directories
     * changed since {@code directoriesAsRead} (another generate won) or the directory exists.
     */
    public void writeDirectory(Path folder, NewMigration migration, java.util.Set<String> directoriesAsRead) {
        try {
            if (!directories(folder).equals(directoriesAsRead)) {
                throw new FolderChangedException("The migration folder's directories changed since they were read (another"
                        + " generate won?); nothing was written, run again");
            }
            Path target = folder.resolve(migration.tag());
            if (Files.exists(target)) {
                throw new FolderChangedException(migration.tag() + "/ already exists; nothing was written");
            }
            Path staging = folder.resolve("." + migration.tag() + ".tmp-" + UUID.randomUUID());
            Files.createDirectory(staging);
            try {
                Files.writeString(staging.resolve(FolderFormat.MIGRATION_FILE), migration.sql(), StandardCharsets.UTF_8);
                Files.writeString(staging.resolve(FolderFormat.SNAPSHOT_FILE), migration.snapshot(), StandardCharsets.UTF_8);
                if (migration.downFile() != null) {
                    Files.writeString(staging.resolve(FolderFormat.DOWN_FILE), migration.down(), StandardCharsets.UTF_8);
                }
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                if (Files.exists(staging)) {
                    try (java.util.stream.Stream<Path> files = Files.list(staging)) {
                        for (Path p : (Iterable<Path>) files::iterator) {
                            Files.deleteIfExists(p);
                        }
                    }
                    Files.deleteIfExists(staging);
                }
            }
        } catch (AccessDeniedException e) {
            throw new FolderNotWritableException("The migration folder is not writable: permission denied", e);
        } catch (IOException e) {
            throw new FolderNotWritableException("The migration folder could not be written: " + IoReasons.of(e), e);
        }
    }

    /** The names of the folder's visible subdirectories. */
    public static java.util.Set<String> directories(Path folder) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (java.util.stream.Stream<Path> children = Files.list(folder)) {
            children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .forEach(out::add);
        } catch (IOException e) {
            throw new FolderException(FolderException.Kind.FOLDER_MISSING, null, null, "Can't list the folder: " + IoReasons.of(e), e);
        }
        return out;
    }

    private static void replace(Path target, String text) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
