package dev.mellon.migrator.folder;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A migration folder as read at one moment: the journal's entries in array order (the order drizzle applies them in)
 * and the findings that do not stop it from being applied.
 */
public record MigrationFolder(Path path, String dialect, List<Migration> migrations, List<FolderWarning> warnings) {

    public MigrationFolder {
        migrations = List.copyOf(migrations);
        warnings = List.copyOf(warnings);
    }

    public Optional<Migration> find(String tag) {
        return migrations.stream().filter(m -> m.tag().equals(tag)).findFirst();
    }
}
