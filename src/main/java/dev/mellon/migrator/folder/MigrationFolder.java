package dev.mellon.migrator.folder;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A migration folder as read at one moment: its migrations in the order drizzle applies them (the journal's array
 * order, or the 1.0 directories sorted by name) and the findings that do not stop it from being applied.
 */
public record MigrationFolder(Path path, String dialect, List<Migration> migrations, List<FolderWarning> warnings,
                              FolderFormat format) {

    public MigrationFolder {
        migrations = List.copyOf(migrations);
        warnings = List.copyOf(warnings);
        java.util.Objects.requireNonNull(format, "format");
    }

    /** A journal folder. */
    public MigrationFolder(Path path, String dialect, List<Migration> migrations, List<FolderWarning> warnings) {
        this(path, dialect, migrations, warnings, FolderFormat.JOURNAL);
    }

    public Optional<Migration> find(String tag) {
        return migrations.stream().filter(m -> m.tag().equals(tag)).findFirst();
    }
}
