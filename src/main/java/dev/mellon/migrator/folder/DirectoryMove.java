package dev.mellon.migrator.folder;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Moves a journal folder into drizzle-kit 1.0's layout, as the first step of {@code drizzle-kit up} does: one directory
 * per entry ({@link DirectoryNames}) holding the entry's SQL file as {@code migration.sql} and its snapshot as
 * {@code snapshot.json}, both byte for byte (so every hash stays), then {@code meta/} removed. A down migration moves
 * along as {@code down.sql}. Snapshots keep their format: {@code drizzle-kit up} rewrites them to format 9 in place on
 * its next run, which is then all it does, so that the result equals running it on the journal folder.
 */
public final class DirectoryMove {

    /** One file of the new layout, with its bytes, and the file it comes from. */
    public record NewFile(String path, byte[] content, String from) {
        public String text() {
            return new String(content, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * @param moves   where each entry goes, in journal order
     * @param files   the files to write
     * @param removed the files and directories removed afterwards (relative to the folder)
     * @param notes   what differs from what {@code drizzle-kit up} would do, or what is left to it
     */
    public record Plan(List<DirectoryNames.Move> moves, List<NewFile> files, List<String> removed, List<String> notes) {
        public Plan {
            moves = List.copyOf(moves);
            files = List.copyOf(files);
            removed = List.copyOf(removed);
            notes = List.copyOf(notes);
        }
    }

    private DirectoryMove() {
    }

    /** What the move writes and removes; reads only. The folder must be a journal folder. */
    public static Plan plan(MigrationFolder folder) {
        if (folder.format() != FolderFormat.JOURNAL) {
            throw new IllegalArgumentException("not a journal folder");
        }
        Path root = folder.path();
        List<DirectoryNames.Move> moves = DirectoryNames.of(folder.migrations());
        List<NewFile> files = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < moves.size(); i++) {
            DirectoryNames.Move move = moves.get(i);
            Migration m = folder.migrations().get(i);
            String directory = move.directory();
            if (Files.exists(root.resolve(directory))) {
                throw new FolderChangedException(directory + "/ already exists; nothing was moved");
            }
            files.add(new NewFile(FolderFormat.DIRECTORIES.sqlFile(directory), read(root, m.fileName()), m.fileName()));
            removed.add(m.fileName());
            String snapshot = FolderFormat.JOURNAL.snapshotFile(m.tag());
            if (Files.isRegularFile(root.resolve(snapshot))) {
                files.add(new NewFile(FolderFormat.DIRECTORIES.snapshotFile(directory), read(root, snapshot), snapshot));
            } else {
                notes.add(m.tag() + " has no " + snapshot + ": " + directory + "/ gets no snapshot.json (drizzle-kit up refuses"
                        + " such a folder; drizzle-kit generate will rebuild the schema from the other snapshots)");
            }
            String down = FolderFormat.JOURNAL.downFile(m.tag());
            if (Files.isRegularFile(root.resolve(down))) {
                files.add(new NewFile(FolderFormat.DIRECTORIES.downFile(directory), read(root, down), down));
                removed.add(down);
            }
            if (move.shiftedBy() != 0) {
                notes.add(m.tag() + " is dated " + move.shiftedBy() + " s after its when, in " + directory + "/, so that it"
                        + " sorts after the entry before it (drizzle-kit up refuses this journal until when is edited by hand)");
            }
        }
        removed.add("meta/");
        if (!files.isEmpty()) {
            notes.add("The snapshots keep their format 7 bytes; run drizzle-kit up (1.0) once to rewrite them to format 9,"
                    + " which is all it then does");
        }
        return new Plan(moves, files, removed, notes);
    }

    /**
     * Writes the plan: every directory first (a reader still sees the journal), then the journal removed (from then on
     * the folder reads as directories), then the old files and {@code meta/}. Refused, with nothing written, when the
     * journal changed since {@code journalAsRead}.
     */
    public static void apply(Path folder, Plan plan, byte[] journalAsRead) {
        try {
            if (!Arrays.equals(FolderWriter.readJournal(folder), journalAsRead)) {
                throw new FolderChangedException("meta/_journal.json changed since it was read; nothing was moved, run again");
            }
            List<Path> created = new ArrayList<>();
            try {
                for (NewFile file : plan.files()) {
                    Path target = folder.resolve(file.path());
                    if (!Files.isDirectory(target.getParent())) {
                        created.add(Files.createDirectory(target.getParent()));
                    }
                    write(target, file.content());
                }
            } catch (IOException | RuntimeException e) {
                for (Path directory : created) {
                    deleteTree(directory);
                }
                throw e;
            }
            Files.delete(folder.resolve(FolderReader.JOURNAL));
            for (String removed : plan.removed()) {
                deleteTree(folder.resolve(removed));
            }
        } catch (AccessDeniedException e) {
            throw new FolderNotWritableException("The migration folder is not writable: permission denied", e);
        } catch (IOException e) {
            throw new FolderNotWritableException("The migration folder could not be written: " + IoReasons.of(e), e);
        }
    }

    private static byte[] read(Path root, String file) {
        try {
            return Files.readAllBytes(root.resolve(file));
        } catch (IOException e) {
            throw new FolderException(FolderException.Kind.FILE_MISSING, file, null, "Can't read " + file + ": " + IoReasons.of(e), e);
        }
    }

    private static void write(Path target, byte[] content) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.write(temp, content);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path p : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
