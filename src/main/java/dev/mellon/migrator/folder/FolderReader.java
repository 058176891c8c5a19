package dev.mellon.migrator.folder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads a migration folder the way drizzle-orm's migrator does: the journal's entries in array
 * order, each {@code <tag>.sql} read whole before anything else happens, hashed, and split on the breakpoint marker.
 * Everything drizzle tolerates (old {@code "dialect": "pg"} headers, missing {@code idx}/{@code version}/
 * {@code breakpoints}, orphan files, missing snapshots) is accepted and reported as a {@link FolderWarning}.
 */
public final class FolderReader {

    /** The marker drizzle-kit writes between statements; the migrator splits on it without trimming anything. */
    public static final String BREAKPOINT = "--> statement-breakpoint";
    /** A hand-written down migration beside {@code <tag>.sql}: drizzle ignores it, rollback runs it. */
    public static final String DOWN_SUFFIX = ".down.sql";
    public static final String JOURNAL = "meta/_journal.json";

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final Set<String> POSTGRES_DIALECTS = Set.of("postgresql", "pg");

    private final ObjectMapper json = new ObjectMapper();

    public MigrationFolder read(Path folder) {
        return read(folder, false);
    }

    /**
     * The layout a folder is in without reading it: directories when it has no journal and at least one migration
     * directory, else journal (an empty or missing folder too: generate starts a journal there).
     */
    public static FolderFormat format(Path folder) {
        return !Files.exists(folder.resolve(JOURNAL)) && Files.isDirectory(folder) && MigrationDirectories.present(folder)
                ? FolderFormat.DIRECTORIES : FolderFormat.JOURNAL;
    }

    /**
     * Reads as much of the folder as can be read, for a check: an entry whose file is missing or unusable becomes a
     * {@code sql-file-missing} / {@code sql-file-invalid} warning instead of stopping the read. The journal itself
     * must still be readable.
     */
    public MigrationFolder readForCheck(Path folder) {
        return read(folder, true);
    }

    private MigrationFolder read(Path folder, boolean lenient) {
        if (!Files.isDirectory(folder)) {
            throw new FolderException(FolderException.Kind.FOLDER_MISSING, null, null,
                    "The migration folder does not exist or is not a directory").at(folder);
        }
        if (!Files.exists(folder.resolve(JOURNAL)) && MigrationDirectories.present(folder)) {
            return MigrationDirectories.read(folder, lenient);
        }
        JsonNode journal = readJournal(folder);
        String dialect = text(journal.get("dialect"));
        if (dialect != null && !POSTGRES_DIALECTS.contains(dialect)) {
            throw new FolderException(FolderException.Kind.JOURNAL_INVALID, JOURNAL, "/dialect",
                    "The journal's dialect is \"" + dialect + "\"; this service applies PostgreSQL migrations only");
        }
        JsonNode entries = journal.get("entries");
        if (entries == null || !entries.isArray()) {
            throw new FolderException(FolderException.Kind.JOURNAL_INVALID, JOURNAL, "/entries",
                    "The journal has no \"entries\" array");
        }
        List<Migration> migrations = new ArrayList<>(entries.size());
        List<JournalEntry> journalEntries = new ArrayList<>(entries.size());
        List<FolderWarning> warnings = new ArrayList<>();
        Set<String> tags = new HashSet<>();
        for (int position = 0; position < entries.size(); position++) {
            JournalEntry entry = entry(entries.get(position), position);
            journalEntries.add(entry);
            if (!tags.add(entry.tag)) {
                throw new FolderException(FolderException.Kind.JOURNAL_INVALID, JOURNAL, "/entries/" + position + "/tag",
                        "The tag \"" + entry.tag + "\" appears twice in the journal");
            }
            try {
                migrations.add(load(folder, entry));
            } catch (FolderException e) {
                if (!lenient || (e.kind() != FolderException.Kind.FILE_MISSING && e.kind() != FolderException.Kind.FILE_INVALID)) {
                    throw e;
                }
                warnings.add(new FolderWarning(e.kind() == FolderException.Kind.FILE_MISSING ? "sql-file-missing" : "sql-file-invalid",
                        e.file(), e.getMessage()));
            }
        }
        warnAboutFiles(folder, journalEntries, warnings);
        warnAboutOrder(journalEntries, warnings);
        if (MigrationDirectories.present(folder)) {
            warnings.add(new FolderWarning("mixed-layout", JOURNAL, "The folder has a journal and also drizzle-kit 1.0"
                    + " migration directories; the journal is read and the directories are ignored (drizzle-orm 1.0 refuses"
                    + " a folder that still has meta/_journal.json)"));
        }
        return new MigrationFolder(folder, dialect, DirectoryNames.named(migrations), warnings, FolderFormat.JOURNAL);
    }

    private JsonNode readJournal(Path folder) {
        Path file = folder.resolve(JOURNAL);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new FolderException(FolderException.Kind.JOURNAL_MISSING, JOURNAL, null,
                    "Can't find meta/_journal.json (drizzle-kit 0.x) or any <YYYYMMDDHHMMSS>_<name>/migration.sql"
                            + " (drizzle-kit 1.0) in the migration folder").at(folder);
        } catch (IOException e) {
            throw new FolderException(FolderException.Kind.JOURNAL_MISSING, JOURNAL, null,
                    "Can't read meta/_journal.json: " + IoReasons.of(e), e);
        }
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new FolderException(FolderException.Kind.JOURNAL_INVALID, JOURNAL, "",
                        "meta/_journal.json is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new FolderException(FolderException.Kind.JOURNAL_INVALID, JOURNAL, null,
                    "meta/_journal.json is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new FolderException(FolderException.Kind.JOURNAL_INVALID, JOURNAL, null,
                    "meta/_journal.json cannot be parsed: " + e.getMessage(), e);
        }
    }

    private record JournalEntry(int idx, String tag, long when, boolean breakpoints) {
    }

    private JournalEntry entry(JsonNode node, int position) {
        String pointer = "/entries/" + position;
        if (node == null || !node.isObject()) {
            throw invalid(pointer, "Journal entry " + position + " is not an object");
        }
        JsonNode tagNode = node.get("tag");
        if (tagNode == null || !tagNode.isTextual() || tagNode.asText().isEmpty()) {
            throw invalid(pointer + "/tag", "Journal entry " + position + " has no \"tag\" string");
        }
        String tag = tagNode.asText();
        checkTag(tag, JOURNAL, pointer + "/tag");
        JsonNode whenNode = node.get("when");
        if (whenNode == null || !whenNode.canConvertToLong() || !whenNode.isIntegralNumber()) {
            throw invalid(pointer + "/when", "Journal entry \"" + tag + "\" has no integer \"when\" (milliseconds since 1970)");
        }
        JsonNode idxNode = node.get("idx");
        int idx = idxNode != null && idxNode.isInt() ? idxNode.asInt() : position;
        JsonNode breakpointsNode = node.get("breakpoints");
        boolean breakpoints = breakpointsNode == null || breakpointsNode.asBoolean(true);
        return new JournalEntry(idx, tag, whenNode.asLong(), breakpoints);
    }

    /**
     * A tag becomes a file name; one that leaves the folder is refused before any file is opened.
     *
     * @param file  where the tag came from (the journal), or {@code null} for a request
     * @param field the JSON pointer or request field that holds it
     */
    public static void checkTag(String tag, String file, String field) {
        if (tag.contains("/") || tag.contains("\\") || tag.contains("..") || tag.chars().anyMatch(Character::isISOControl)) {
            throw new FolderException(FolderException.Kind.TAG_INVALID, file, field,
                    "The tag \"" + tag + "\" contains '/', '\\', '..' or a control character; a tag must name a file inside the migration folder");
        }
    }

    private static FolderException invalid(String pointer, String message) {
        return new FolderException(FolderException.Kind.JOURNAL_INVALID, JOURNAL, pointer, message);
    }

    private static Migration load(Path folder, JournalEntry entry) {
        return load(folder, entry.idx, entry.tag, entry.when, entry.breakpoints, FolderFormat.JOURNAL,
                "the journal names \"" + entry.tag + "\"");
    }

    /**
     * Reads, checks and hashes one migration's SQL file.
     *
     * @param namedBy why the file is expected, for the message when it is missing
     */
    static Migration load(Path folder, int idx, String tag, long when, boolean breakpoints, FolderFormat format, String namedBy) {
        String fileName = format.sqlFile(tag);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(folder.resolve(fileName));
        } catch (NoSuchFileException e) {
            throw new FolderException(FolderException.Kind.FILE_MISSING, fileName, null,
                    "No file " + fileName + " found in the migration folder, but " + namedBy);
        } catch (IOException e) {
            throw new FolderException(FolderException.Kind.FILE_MISSING, fileName, null,
                    "Can't read " + fileName + ": " + IoReasons.of(e), e);
        }
        if (startsWithBom(bytes)) {
            throw new FolderException(FolderException.Kind.FILE_INVALID, fileName, null,
                    fileName + " starts with a UTF-8 byte order mark; PostgreSQL rejects it (syntax error at or near \"\uFEFF…\")."
                            + " Save the file as UTF-8 without BOM");
        }
        String text = decode(bytes);
        if (text.indexOf('\0') >= 0) {
            throw new FolderException(FolderException.Kind.FILE_INVALID, fileName, null,
                    fileName + " contains a NUL byte (is it a binary file?); PostgreSQL cannot run a statement that holds one");
        }
        return migration(idx, tag, when, breakpoints, bytes, text, format);
    }

    /** A migration file not yet in the folder (a generated one), read exactly as {@link #read} will read it there. */
    public static Migration migration(int idx, String tag, long when, String text) {
        return migration(idx, tag, when, text, FolderFormat.JOURNAL);
    }

    /** A migration file not yet in a folder of the given format, read exactly as {@link #read} will read it there. */
    public static Migration migration(int idx, String tag, long when, String text, FolderFormat format) {
        return migration(idx, tag, when, true, text.getBytes(StandardCharsets.UTF_8), text, format);
    }

    private static Migration migration(int idx, String tag, long when, boolean breakpoints, byte[] bytes, String text,
                                       FolderFormat format) {
        List<String> statements = Arrays.asList(text.split(BREAKPOINT, -1));
        return new Migration(idx, tag, when, breakpoints, drizzleHash(bytes, text), statements,
                SqlScanner.firstTransactionControl(text), format);
    }

    private static boolean startsWithBom(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == UTF8_BOM[0] && bytes[1] == UTF8_BOM[1] && bytes[2] == UTF8_BOM[2];
    }

    private static String decode(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * drizzle hashes {@code Buffer.toString()} re-encoded as UTF-8: for valid UTF-8 that is the raw bytes; for invalid
     * input it is the text with U+FFFD replacements.
     */
    static String drizzleHash(byte[] bytes, String decoded) {
        byte[] hashed = isValidUtf8(bytes) ? bytes : decoded.getBytes(StandardCharsets.UTF_8);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(hashed));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    private static boolean isValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static void warnAboutFiles(Path folder, List<JournalEntry> entries, List<FolderWarning> warnings) {
        Set<String> named = new HashSet<>();
        entries.forEach(e -> named.add(e.tag() + ".sql"));
        try (Stream<Path> files = Files.list(folder)) {
            files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".sql") && !named.contains(name))
                    .sorted()
                    .forEach(name -> {
                        if (name.endsWith(DOWN_SUFFIX)) {
                            // A hand-written down migration beside its entry's file (drizzle ignores it; rollback runs it).
                            String up = name.substring(0, name.length() - DOWN_SUFFIX.length()) + ".sql";
                            if (!named.contains(up)) {
                                warnings.add(new FolderWarning("orphan-down-file", name, name
                                        + " is a down migration of no journal entry (there is no entry \"" + up.substring(0, up.length() - 4)
                                        + "\"); rollback never runs it"));
                            }
                            return;
                        }
                        warnings.add(new FolderWarning("orphan-sql-file", name,
                                name + " is not named by the journal; drizzle's migrator ignores it, and so does this service"));
                    });
        } catch (IOException e) {
            warnings.add(new FolderWarning("folder-unreadable", null, "Could not list the folder: " + IoReasons.of(e)));
        }
        Set<String> snapshots = new TreeSet<>();
        Path meta = folder.resolve("meta");
        if (Files.isDirectory(meta)) {
            try (Stream<Path> files = Files.list(meta)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("_snapshot.json")).forEach(snapshots::add);
            } catch (IOException e) {
                warnings.add(new FolderWarning("folder-unreadable", "meta", "Could not list meta/: " + IoReasons.of(e)));
            }
        }
        for (JournalEntry e : entries) {
            String snapshot = snapshotName(e.tag());
            if (!snapshots.contains(snapshot)) {
                warnings.add(new FolderWarning("missing-snapshot", "meta/" + snapshot,
                        "Journal entry \"" + e.tag() + "\" has no meta/" + snapshot
                                + "; the next drizzle-kit generate may diff against an older schema"));
            }
        }
    }

    /**
     * The snapshot files in {@code meta/}, sorted by name as drizzle-kit sorts them; names starting with {@code _}
     * (the journal, drizzle-kit's own skip rule) are not snapshots.
     */
    public List<SnapshotFile> snapshots(Path folder) {
        Path meta = folder.resolve("meta");
        if (!Files.isDirectory(meta)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(meta)) {
            List<Path> paths = files.filter(p -> {
                String name = p.getFileName().toString();
                return name.endsWith("_snapshot.json") && !name.startsWith("_");
            }).sorted().toList();
            List<SnapshotFile> out = new ArrayList<>(paths.size());
            for (Path path : paths) {
                String name = path.getFileName().toString();
                out.add(new SnapshotFile(name, Files.readString(path, StandardCharsets.UTF_8)));
            }
            return out;
        } catch (IOException e) {
            throw new FolderException(FolderException.Kind.FILE_MISSING, "meta", null, "Can't read meta/: " + IoReasons.of(e), e);
        }
    }

    /** One snapshot file of {@code meta/}, if it exists. */
    public Optional<SnapshotFile> snapshot(Path folder, String fileName) {
        Path path = folder.resolve("meta").resolve(fileName);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SnapshotFile(fileName, Files.readString(path, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new FolderException(FolderException.Kind.FILE_MISSING, "meta/" + fileName, null,
                    "Can't read meta/" + fileName + ": " + IoReasons.of(e), e);
        }
    }

    /** A migration's snapshot in its folder's layout, if it exists. */
    public Optional<SnapshotFile> snapshotOf(Path folder, Migration m) {
        if (m.format() == FolderFormat.JOURNAL) {
            return snapshot(folder, snapshotName(m.tag()));
        }
        String relative = m.format().snapshotFile(m.tag());
        Path path = folder.resolve(relative);
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SnapshotFile(FolderFormat.SNAPSHOT_FILE, Files.readString(path, StandardCharsets.UTF_8), relative));
        } catch (IOException e) {
            throw new FolderException(FolderException.Kind.FILE_MISSING, relative, null, "Can't read " + relative + ": " + IoReasons.of(e), e);
        }
    }

    /** The {@code created_at} drizzle-orm 1.0 records for a migration directory of this name, or -1 without its time. */
    public static long createdAtOf(String directory) {
        Long millis = MigrationDirectories.createdAt(directory);
        return millis == null ? -1 : millis;
    }

    /** drizzle-kit names a snapshot after the tag's prefix: everything before the first {@code _}. */
    public static String snapshotName(String tag) {
        int underscore = tag.indexOf('_');
        return (underscore < 0 ? tag : tag.substring(0, underscore)) + "_snapshot.json";
    }

    private static void warnAboutOrder(List<JournalEntry> entries, List<FolderWarning> warnings) {
        for (int i = 1; i < entries.size(); i++) {
            JournalEntry previous = entries.get(i - 1);
            JournalEntry current = entries.get(i);
            if (current.when() <= previous.when()) {
                warnings.add(new FolderWarning("non-increasing-when", current.tag() + ".sql",
                        "\"" + current.tag() + "\" has when=" + current.when() + ", not after \"" + previous.tag()
                                + "\" (when=" + previous.when() + "); drizzle skips it forever on a database that already ran \""
                                + previous.tag() + "\""));
            }
            if (current.idx() != previous.idx() + 1) {
                warnings.add(new FolderWarning("idx-gap", JOURNAL,
                        "Journal idx goes from " + previous.idx() + " (\"" + previous.tag() + "\") to " + current.idx()
                                + " (\"" + current.tag() + "\")"));
            }
        }
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

}
