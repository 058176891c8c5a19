package dev.mellon.migrator.folder;

/**
 * The two layouts drizzle-kit writes a migration history in. The format decides where each migration's files live
 * and how the tracking table's rows are matched to them; everything else (hashing, the breakpoint split, the schema
 * each snapshot describes) is the same.
 */
public enum FolderFormat {

    /**
     * drizzle-kit 0.x: {@code meta/_journal.json} orders the entries; {@code <tag>.sql} beside it and
     * {@code meta/<prefix>_snapshot.json} per entry. drizzle-orm 0.x applies what is newer than its newest row.
     */
    JOURNAL("journal"),

    /**
     * drizzle-kit 1.0: one directory {@code <YYYYMMDDHHMMSS>_<name>/} per migration holding {@code migration.sql} and
     * {@code snapshot.json}, no journal. drizzle-orm 1.0 applies every directory whose name it has no row for.
     */
    DIRECTORIES("directories");

    /** The file of a 1.0 migration directory drizzle-orm runs. */
    public static final String MIGRATION_FILE = "migration.sql";
    /** The snapshot drizzle-kit 1.0 writes beside it. */
    public static final String SNAPSHOT_FILE = "snapshot.json";
    /** Our hand-written down migration inside a 1.0 directory: drizzle-orm reads only {@link #MIGRATION_FILE}. */
    public static final String DOWN_FILE = "down.sql";

    private final String wireName;

    FolderFormat(String wireName) {
        this.wireName = wireName;
    }

    /** How the API, the CLI and the studio name the format. */
    public String wireName() {
        return wireName;
    }

    /** The migration's SQL file, relative to the folder. */
    public String sqlFile(String tag) {
        return this == JOURNAL ? tag + ".sql" : tag + "/" + MIGRATION_FILE;
    }

    /** The migration's snapshot, relative to the folder. */
    public String snapshotFile(String tag) {
        return this == JOURNAL ? "meta/" + FolderReader.snapshotName(tag) : tag + "/" + SNAPSHOT_FILE;
    }

    /**
     * The directory {@code drizzle-kit up} moves a journal entry into, which is also the {@code name} drizzle-orm 1.0
     * looks for in the tracking table: the UTC second of {@code when} ({@code YYYYMMDDHHMMSS}), an underscore, and the
     * tag after its first underscore ({@code 0003_brave_fox} made at 2025-01-02 03:04:05 becomes
     * {@code 20250102030405_brave_fox}).
     */
    public static String directoryName(String tag, long when) {
        int underscore = tag.indexOf('_');
        return MigrationDirectories.stamp(when) + "_" + (underscore < 0 ? "" : tag.substring(underscore + 1));
    }

    /**
     * The directory drizzle-kit 1.0 gives a new migration: the UTC second of {@code at}, but at least one second after
     * the newest of {@code parents} (so that it sorts after them), then {@code name}, or a random adjective_noun.
     */
    public static String newDirectory(long at, java.util.Collection<String> parents, String name) {
        long newest = parents.stream().map(MigrationDirectories::createdAt).filter(java.util.Objects::nonNull)
                .mapToLong(t -> t + 1000).max().orElse(Long.MIN_VALUE);
        return MigrationDirectories.stamp(Math.max(at, newest)) + "_" + (name == null ? TagStyle.randomName() : name);
    }

    /** The migration's hand-written down file, relative to the folder. */
    public String downFile(String tag) {
        return this == JOURNAL ? tag + FolderReader.DOWN_SUFFIX : tag + "/" + DOWN_FILE;
    }
}
