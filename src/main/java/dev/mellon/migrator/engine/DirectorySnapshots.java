package dev.mellon.migrator.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.folder.FolderFormat;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.folder.MigrationFolder;
import dev.mellon.migrator.schema.Snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The snapshot chain of a drizzle-kit 1.0 folder, read from each directory's {@code snapshot.json} header ({@code id},
 * {@code prevIds}, {@code version}): what drizzle-kit 1.0 itself refuses (a directory that sorts before its parent, so
 * migrate may run it first; a parent no directory has) and what its next generate will do (merge branches).
 */
final class DirectorySnapshots {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Header(String directory, String file, String id, List<String> prevIds, String version) {
    }

    private DirectorySnapshots() {
    }

    static List<CheckFinding> check(MigrationFolder folder) {
        List<CheckFinding> findings = new ArrayList<>();
        Map<String, Header> byId = new HashMap<>();
        List<Header> headers = new ArrayList<>();
        for (Migration m : folder.migrations()) {
            String file = FolderFormat.DIRECTORIES.snapshotFile(m.tag());
            Path path = folder.path().resolve(file);
            if (!Files.isRegularFile(path)) {
                continue;
            }
            try {
                JsonNode root = JSON.readTree(path.toFile());
                List<String> prevIds = new ArrayList<>();
                if (root.path("prevIds").isArray()) {
                    root.path("prevIds").forEach(p -> prevIds.add(p.asText()));
                } else if (root.hasNonNull("prevId")) {
                    prevIds.add(root.get("prevId").asText());
                }
                Header header = new Header(m.tag(), file, root.path("id").asText(), prevIds, root.path("version").asText());
                headers.add(header);
                byId.putIfAbsent(header.id(), header);
                if (!header.version().equals("9")) {
                    findings.add(new CheckFinding("info", "snapshot-format-7", file, file + " is in format " + header.version()
                            + " (moved by an upgrade): drizzle-kit up (1.0) rewrites it to format 9"));
                }
            } catch (IOException e) {
                findings.add(new CheckFinding("error", "snapshot-malformed", file, file + " is not valid JSON: " + e.getMessage()));
            }
        }
        Set<String> parents = new HashSet<>();
        for (Header h : headers) {
            for (String parentId : h.prevIds()) {
                if (parentId.isEmpty() || parentId.equals(Snapshot.ROOT_ID)) {
                    continue;
                }
                parents.add(parentId);
                Header parent = byId.get(parentId);
                if (parent == null) {
                    findings.add(new CheckFinding("error", "broken-prev-id-chain", h.file(), h.file() + " follows snapshot "
                            + parentId + ", which no directory has: a migration was deleted in the middle of the history"));
                } else if (!(h.directory().compareTo(parent.directory()) > 0)) {
                    findings.add(new CheckFinding("error", "directory-order", h.file(), h.directory() + " sorts before its parent "
                            + parent.directory() + ", so migrate can run it first; rename the directory to sort after it"));
                }
            }
        }
        List<String> leaves = headers.stream().filter(h -> !parents.contains(h.id())).map(Header::directory).toList();
        if (leaves.size() > 1) {
            findings.add(new CheckFinding("warning", "unmerged-branches", null, "The snapshots end in " + leaves.size()
                    + " branches (" + String.join(", ", leaves) + "): the next drizzle-kit generate writes a merge"
                    + " migration naming them all, and refuses if their changes conflict"));
        }
        return findings;
    }
}
