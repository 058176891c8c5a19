package dev.mellon.migrator.folder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads a drizzle-kit 1.0 folder the way drizzle-orm 1.0's migrator does: every directory that holds a
 * {@code migration.sql} is a migration named after the directory, sorted by name, its {@code created_at} the UTC
 * time of the name's first fourteen digits ({@code YYYYMMDDHHMMSS}) in milliseconds. Anything else in the folder is
 * ignored by drizzle and reported here as a warning.
 */
final class MigrationDirectories {

    private static final int STAMP_DIGITS = 14;

    private MigrationDirectories() {
    }

    /** Whether the folder holds at least one 1.0 migration directory. */
    static boolean present(Path folder) {
        try (Stream<Path> children = Files.list(folder)) {
            return children.anyMatch(MigrationDirectories::isMigration);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isMigration(Path child) {
        return Files.isDirectory(child) && Files.isRegularFile(child.resolve(FolderFormat.MIGRATION_FILE));
    }

    static MigrationFolder read(Path folder, boolean lenient) {
        List<String> names = new ArrayList<>();
        List<FolderWarning> warnings = new ArrayList<>();
        try (Stream<Path> children = Files.list(folder)) {
            for (Path child : (Iterable<Path>) children.sorted()::iterator) {
                String name = child.getFileName().toString();
                if (isMigration(child)) {
                    names.add(name);
                } else if (Files.isDirectory(child) && !name.equals("meta") && !name.startsWith(".")) {
                    warnings.add(new FolderWarning("orphan-directory", name, name + "/ holds no " + FolderFormat.MIGRATION_FILE
                            + "; drizzle-orm's migrator ignores it, and so does this service"));
                } else if (name.endsWith(".sql")) {
                    warnings.add(new FolderWarning("orphan-sql-file", name, name + " lies outside every migration directory;"
                            + " drizzle-orm's migrator ignores it, and so does this service"));
                }
            }
        } catch (IOException e) {
            throw new FolderException(FolderException.Kind.FOLDER_MISSING, null, null,
                    "Can't list the migration folder: " + IoReasons.of(e), e).at(folder);
        }
        names.sort(DirectoryOrder.INSTANCE);
        List<Migration> migrations = new ArrayList<>(names.size());
        Map<Long, String> firstInSecond = new HashMap<>();
        for (String name : names) {
            FolderReader.checkTag(name, null, null);
            String file = FolderFormat.DIRECTORIES.sqlFile(name);
            Long when = createdAt(name);
            if (when == null) {
                FolderException invalid = new FolderException(FolderException.Kind.FILE_INVALID, file, null, "The directory "
                        + name + "/ does not start with fourteen digits (YYYYMMDDHHMMSS, UTC): drizzle-orm takes its created_at"
                        + " from them, and without them its insert fails. Rename it as drizzle-kit names migrations");
                if (!lenient) {
                    throw invalid;
                }
                warnings.add(new FolderWarning("sql-file-invalid", file, invalid.getMessage()));
                continue;
            }
            try {
                migrations.add(FolderReader.load(folder, migrations.size(), name, when, true, FolderFormat.DIRECTORIES,
                        "the directory " + name + "/ exists"));
            } catch (FolderException e) {
                if (!lenient || (e.kind() != FolderException.Kind.FILE_MISSING && e.kind() != FolderException.Kind.FILE_INVALID)) {
                    throw e;
                }
                warnings.add(new FolderWarning(e.kind() == FolderException.Kind.FILE_MISSING ? "sql-file-missing" : "sql-file-invalid",
                        e.file(), e.getMessage()));
                continue;
            }
            if (!Files.isRegularFile(folder.resolve(FolderFormat.DIRECTORIES.snapshotFile(name)))) {
                warnings.add(new FolderWarning("missing-snapshot", FolderFormat.DIRECTORIES.snapshotFile(name), "Migration \""
                        + name + "\" has no " + FolderFormat.SNAPSHOT_FILE + "; the next drizzle-kit generate may diff against an"
                        + " older schema"));
            }
            String earlier = firstInSecond.putIfAbsent(when, name);
            if (earlier != null) {
                warnings.add(new FolderWarning("same-second", FolderFormat.DIRECTORIES.sqlFile(name), "\"" + name + "\" and \""
                        + earlier + "\" start in the same second: drizzle records both with created_at " + when
                        + ", and runs them in name order"));
            }
        }
        return new MigrationFolder(folder, "postgresql", migrations, warnings, FolderFormat.DIRECTORIES);
    }

    /**
     * drizzle-orm's {@code formatToMillis}: {@code Date.UTC} of the name's first fourteen digits, where a month, day or
     * time beyond its range carries into the next (month 13 is January of the next year). {@code null} when the name
     * does not start with fourteen digits.
     */
    static Long createdAt(String name) {
        if (name.length() < STAMP_DIGITS) {
            return null;
        }
        for (int i = 0; i < STAMP_DIGITS; i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return null;
            }
        }
        int year = Integer.parseInt(name.substring(0, 4));
        // Date.UTC reads a year from 0 to 99 as 1900 to 1999.
        year = year <= 99 ? year + 1900 : year;
        int month = Integer.parseInt(name.substring(4, 6));
        int day = Integer.parseInt(name.substring(6, 8));
        LocalDateTime time = LocalDateTime.of(year, 1, 1, 0, 0)
                .plusMonths(month - 1L)
                .plusDays(day - 1L)
                .plusHours(Integer.parseInt(name.substring(8, 10)))
                .plusMinutes(Integer.parseInt(name.substring(10, 12)))
                .plusSeconds(Integer.parseInt(name.substring(12, 14)));
        return time.toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** The directory name drizzle-kit 1.0 gives a migration made at {@code millis}: {@code YYYYMMDDHHMMSS_<name>}. */
    static String stamp(long millis) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), 0, ZoneOffset.UTC);
        return String.format("%04d%02d%02d%02d%02d%02d", time.getYear(), time.getMonthValue(), time.getDayOfMonth(),
                time.getHour(), time.getMinute(), time.getSecond());
    }
}
