package dev.mellon.migrator.folder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The journal is rewritten as JSON.stringify(…, null, 2) writes it, and a journal changed meanwhile wins. */
class FolderWriterTest {

    @TempDir
    Path folder;

    @Test
    void appendingKeepsEveryEarlierEntryAndKeyAsItWas() {
        byte[] journal = """
                {"version":"7","dialect":"postgresql","entries":[{"idx":0,"version":"7","when":1700000000000,"tag":"0000_a","breakpoints":true,"extra":7}]}"""
                .getBytes(StandardCharsets.UTF_8);
        assertEquals("""
                {
                  "version": "7",
                  "dialect": "postgresql",
                  "entries": [
                    {
                      "idx": 0,
                      "version": "7",
                      "when": 1700000000000,
                      "tag": "0000_a",
                      "breakpoints": true,
                      "extra": 7
                    },
                    {
                      "idx": 1,
                      "version": "7",
                      "when": 1700000000001,
                      "tag": "0001_b",
                      "breakpoints": true
                    }
                  ]
                }""", FolderWriter.appendEntry(journal, 1, 1700000000001L, "0001_b"));
        assertEquals("""
                {
                  "version": "7",
                  "dialect": "postgresql",
                  "entries": [
                    {
                      "idx": 0,
                      "version": "7",
                      "when": 5,
                      "tag": "0000_x",
                      "breakpoints": true
                    }
                  ]
                }""", FolderWriter.appendEntry(null, 0, 5, "0000_x"));
    }

    @Test
    void aJournalChangedSinceItWasReadStopsTheWriteBeforeAnyFile() throws Exception {
        Files.createDirectories(folder.resolve("meta"));
        Files.writeString(folder.resolve("meta/_journal.json"), "{\"entries\":[]}");
        FolderWriter.NewMigration migration = new FolderWriter.NewMigration("0000_a", "0000_a.sql", "SELECT 1;",
                "0000_snapshot.json", "{}", FolderWriter.appendEntry(null, 0, 1, "0000_a"));
        byte[] stale = "{\"entries\":[],\"other\":true}".getBytes(StandardCharsets.UTF_8);
        assertThrows(FolderChangedException.class, () -> new FolderWriter().write(folder, migration, stale));
        assertFalse(Files.exists(folder.resolve("0000_a.sql")));
        assertEquals("{\"entries\":[]}", Files.readString(folder.resolve("meta/_journal.json")));
        new FolderWriter().write(folder, migration, FolderWriter.readJournal(folder), List.of());
        assertEquals("SELECT 1;", Files.readString(folder.resolve("0000_a.sql")));
        try (var files = Files.list(folder.resolve("meta"))) {
            assertEquals(List.of("0000_snapshot.json", "_journal.json"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file is left behind");
        }
    }
}
