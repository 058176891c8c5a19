package dev.mellon.migrator.engine.check;

import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.schema.SnapshotCodec;
import dev.mellon.migrator.testing.Corpus;
import dev.mellon.migrator.testing.FolderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FolderCheckTest {

    private final FolderCheck check = new FolderCheck(new FolderReader(), new SnapshotCodec());

    private static String snapshot(String id, String prevId, String version) {
        return "{\"id\":\"" + id + "\",\"prevId\":\"" + prevId + "\",\"version\":\"" + version
                + "\",\"dialect\":\"postgresql\",\"tables\":{},\"enums\":{},\"schemas\":{},\"_meta\":{\"columns\":{},\"schemas\":{},\"tables\":{}}}";
    }

    @Test
    void findsCollisionsBrokenChainsVersionsMalformedAndOrphans(@TempDir Path dir) throws Exception {
        new FolderBuilder(dir).migration("a", "SELECT 1;").migration("b", "SELECT 1;").migration("c", "SELECT 1;")
                .migration("d", "SELECT 1;").migration("e", "SELECT 1;").migration("f", "SELECT 1;").write();
        String root = "00000000-0000-0000-0000-000000000000";
        Files.writeString(dir.resolve("meta/0000_snapshot.json"), snapshot("A", root, "7"));
        Files.writeString(dir.resolve("meta/0001_snapshot.json"), snapshot("B", "A", "7"));
        Files.writeString(dir.resolve("meta/0002_snapshot.json"), snapshot("C", "A", "7"));
        Files.writeString(dir.resolve("meta/0003_snapshot.json"), snapshot("D", "ZZZ", "7"));
        Files.writeString(dir.resolve("meta/0004_snapshot.json"), snapshot("E", "D", "5"));
        Files.writeString(dir.resolve("meta/0005_snapshot.json"), snapshot("F", "E", "7").replace("\"enums\"", "\"colour\":1,\"enums\""));
        Files.writeString(dir.resolve("meta/0009_snapshot.json"), snapshot("G", "F", "7"));
        Files.writeString(dir.resolve("0007_orphan.sql"), "SELECT 1;");
        Files.delete(dir.resolve("0003_d.sql"));
        Files.write(dir.resolve("0004_e.sql"), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, ';'});

        List<CheckFinding> findings = check.check(dir);
        List<String> codes = findings.stream().map(f -> f.severity() + " " + f.code() + " " + f.file()).sorted().toList();
        assertEquals(List.of(
                "error snapshot-collision meta/0001_snapshot.json",
                "error snapshot-malformed meta/0005_snapshot.json",
                "error snapshot-version meta/0004_snapshot.json",
                "error sql-file-invalid 0004_e.sql",
                "error sql-file-missing 0003_d.sql",
                "warning broken-prev-id-chain meta/0003_snapshot.json",
                "warning broken-prev-id-chain meta/0009_snapshot.json",
                "warning orphan-snapshot meta/0009_snapshot.json",
                "warning orphan-sql-file 0007_orphan.sql"), codes);
        assertTrue(findings.stream().anyMatch(f -> f.message().contains("run drizzle-kit up")));
    }

    @Test
    void nonIncreasingWhenAndMissingSnapshotsInARealHistory() {
        List<CheckFinding> findings = check.check(Corpus.folder("pluggedin_app"));
        assertTrue(findings.stream().anyMatch(f -> f.code().equals("non-increasing-when") && f.severity().equals("error")));
        assertEquals(4, findings.stream().filter(f -> f.code().equals("missing-snapshot")).count());
        assertEquals(25, findings.stream().filter(f -> f.code().equals("orphan-sql-file")).count());
        // pluggedin's prevId chain breaks at 0031 (corpus README).
        assertTrue(findings.stream().anyMatch(f -> f.code().equals("broken-prev-id-chain") && f.file().equals("meta/0031_snapshot.json")),
                findings.toString());
    }

    @Test
    void folderWithoutJournalIsOneError(@TempDir Path dir) {
        List<CheckFinding> findings = check.check(dir);
        assertEquals(1, findings.size());
        assertEquals("folder-unreadable", findings.get(0).code());
    }
}
