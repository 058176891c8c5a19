package dev.mellon.migrator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes small migration folders in drizzle-kit's format for tests: one call per migration, then {@link #write()}. */
public final class FolderBuilder {

    public static final String BREAK = "--> statement-breakpoint\n";

    private record Entry(String tag, long when, String sql, boolean breakpoints) {
    }

    private final Path folder;
    private final List<Entry> entries = new ArrayList<>();
    private long nextWhen = 1_700_000_000_000L;

    public FolderBuilder(Path folder) {
        this.folder = folder;
    }

    /** Adds a migration {@code NNNN_name} whose statements are joined with the breakpoint marker. */
    public FolderBuilder migration(String name, String... statements) {
        return migrationAt(name, nextWhen += 1000, statements);
    }

    public FolderBuilder migrationAt(String name, long when, String... statements) {
        String tag = String.format("%04d_%s", entries.size(), name);
        entries.add(new Entry(tag, when, String.join(BREAK, statements), true));
        nextWhen = Math.max(nextWhen, when);
        return this;
    }

    public FolderBuilder rawMigration(String name, String sql, boolean breakpoints) {
        String tag = String.format("%04d_%s", entries.size(), name);
        entries.add(new Entry(tag, nextWhen += 1000, sql, breakpoints));
        return this;
    }

    /** Replaces the statements of migration {@code index}, keeping its tag and when: a file fixed after a failure. */
    public FolderBuilder replace(int index, String... statements) {
        Entry e = entries.get(index);
        entries.set(index, new Entry(e.tag, e.when, String.join(BREAK, statements), e.breakpoints));
        return this;
    }

    public Path write() {
        return writeFirst(entries.size());
    }

    /** Writes the files of every migration but a journal that names only the first {@code count}. */
    public Path writeFirst(int count) {
        try {
            Files.createDirectories(folder.resolve("meta"));
            StringBuilder journal = new StringBuilder("{\n  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n  \"entries\": [");
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                Files.writeString(folder.resolve(e.tag + ".sql"), e.sql, StandardCharsets.UTF_8);
                if (i < count) {
                    journal.append(i == 0 ? "\n" : ",\n").append("    {\n      \"idx\": ").append(i)
                            .append(",\n      \"version\": \"7\",\n      \"when\": ").append(e.when)
                            .append(",\n      \"tag\": \"").append(e.tag).append("\",\n      \"breakpoints\": ")
                            .append(e.breakpoints).append("\n    }");
                }
            }
            journal.append(count == 0 ? "]\n}" : "\n  ]\n}");
            Files.writeString(folder.resolve("meta/_journal.json"), journal.toString(), StandardCharsets.UTF_8);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String tag(int index) {
        return entries.get(index).tag;
    }

    /**
     * Writes the migrations as drizzle-kit 1.0 does: one directory per migration, named after the UTC second of its
     * {@code when} and its name, holding {@code migration.sql}; no journal.
     */
    public Path writeDirectories() {
        try {
            Files.createDirectories(folder);
            for (int i = 0; i < entries.size(); i++) {
                Path directory = folder.resolve(directory(i));
                Files.createDirectories(directory);
                Files.writeString(directory.resolve("migration.sql"), entries.get(i).sql, StandardCharsets.UTF_8);
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The directory {@link #writeDirectories()} writes migration {@code index} into: the one the service's upgrade
     * moves the journal entry into.
     */
    public String directory(int index) {
        List<dev.mellon.migrator.folder.Migration> journal = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            journal.add(dev.mellon.migrator.folder.FolderReader.migration(i, entries.get(i).tag, entries.get(i).when, entries.get(i).sql));
        }
        return dev.mellon.migrator.folder.DirectoryNames.of(journal).get(index).directory();
    }
}
