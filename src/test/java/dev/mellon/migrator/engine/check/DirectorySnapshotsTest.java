package dev.mellon.migrator.engine.check;

import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.schema.SnapshotCodec;
import dev.mellon.migrator.testing.FileTrees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The folder check of drizzle-kit 1.0 folders that the real drizzle-kit 1.0.0-rc.5 wrote
 * ({@code src/test/resources/folders/drizzle-kit-1}): a linear history, two branches and their merge, two branches
 * that change the same column (drizzle-kit's own check exits 1 on it), and this repository's example upgraded.
 */
class DirectorySnapshotsTest {

    private static final Path FOLDERS = Path.of("src/test/resources/folders/drizzle-kit-1");

    private static List<String> codes(Path folder) {
        return new FolderCheck(new FolderReader(), new SnapshotCodec()).check(folder).stream()
                .map(f -> f.severity() + " " + f.code()).toList();
    }

    @Test
    void aLinearHistoryAndAMergedOneAreClean() {
        assertEquals(List.of(), codes(FOLDERS.resolve("generated")));
        assertEquals(List.of(), codes(FOLDERS.resolve("merged")));
        assertEquals(List.of(), codes(FOLDERS.resolve("upgraded")));
    }

    @Test
    void branchesThatChangeTheSameColumnConflictAsDrizzleKitSays() {
        assertEquals(List.of("warning unmerged-branches", "error branch-conflict"), codes(FOLDERS.resolve("conflict")));
    }

    @Test
    void aDirectoryThatSortsBeforeItsParentIsAnError(@TempDir Path dir) throws Exception {
        Path folder = FileTrees.copy(FOLDERS.resolve("generated"), dir.resolve("f"));
        Files.move(folder.resolve("20261207213831_curvy_doctor_octopus"), folder.resolve("20261207213800_curvy_doctor_octopus"));
        List<String> codes = codes(folder);
        assertTrue(codes.contains("error directory-order"), codes.toString());
    }

    @Test
    void aMissingMiddleMigrationBreaksTheChain(@TempDir Path dir) throws Exception {
        Path folder = FileTrees.copy(FOLDERS.resolve("generated"), dir.resolve("f"));
        try (Stream<Path> files = Files.walk(folder.resolve("20261207213823_mysterious_shooting_star"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertTrue(codes(folder).contains("error broken-prev-id-chain"), codes(folder).toString());
    }
}
