package dev.mellon.migrator.engine.check;

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

    private record Header(String directory, String file, String id, List<String> prevIds, String version,
                          List<Footprint> footprints) {
    }

    /** What one statement of a migration reads and writes, as drizzle-kit 1.0 records it for its conflict check. */
    private record Footprint(String statementType, String sqlHash, List<String> writes, List<String> sharedWrites,
                             List<String> reads, String directory) {
        /** drizzle-kit's exception: both branches made the very same change. */
        boolean sameChange(Footprint other) {
            return sqlHash != null && statementType.equals(other.statementType) && sqlHash.equals(other.sqlHash);
        }
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
                List<Footprint> footprints = new ArrayList<>();
                for (JsonNode f : root.path("footprints")) {
                    footprints.add(new Footprint(f.path("statementType").asText(), f.hasNonNull("sqlHash") ? f.get("sqlHash").asText() : null,
                            strings(f.path("writes")), strings(f.path("sharedWrites")), strings(f.path("reads")), m.tag()));
                }
                Header header = new Header(m.tag(), file, root.path("id").asText(), prevIds, root.path("version").asText(), footprints);
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
        List<Header> leaves = headers.stream().filter(h -> !parents.contains(h.id())).toList();
        if (leaves.size() > 1) {
            findings.add(new CheckFinding("warning", "unmerged-branches", null, "The snapshots end in " + leaves.size()
                    + " branches (" + String.join(", ", leaves.stream().map(Header::directory).toList()) + "): the next"
                    + " drizzle-kit generate writes a merge migration naming them all, and refuses if their changes conflict"));
            findings.addAll(conflicts(leaves, byId));
        }
        return findings;
    }

    /**
     * drizzle-kit 1.0's branch conflicts: for two leaves, the migrations on one branch only against those on the
     * other only; a statement that writes what a statement of the other branch reads or writes is a conflict, unless
     * both made the very same change.
     */
    private static List<CheckFinding> conflicts(List<Header> leaves, Map<String, Header> byId) {
        List<CheckFinding> out = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            for (int j = i + 1; j < leaves.size(); j++) {
                Set<String> x = ancestors(leaves.get(i), byId);
                Set<String> y = ancestors(leaves.get(j), byId);
                List<Footprint> onlyX = footprints(x, y, byId);
                List<Footprint> onlyY = footprints(y, x, byId);
                Footprint[] found = firstConflict(onlyX, onlyY);
                if (found == null) {
                    found = firstConflict(onlyY, onlyX);
                }
                if (found != null) {
                    out.add(new CheckFinding("error", "branch-conflict", FolderFormat.DIRECTORIES.sqlFile(found[0].directory()),
                            "The branches ending in " + leaves.get(i).directory() + " and " + leaves.get(j).directory()
                                    + " conflict: " + found[0].statementType() + " in " + found[0].directory() + " and "
                                    + found[1].statementType() + " in " + found[1].directory() + " touch the same object."
                                    + " drizzle-kit 1.0 refuses to generate or migrate until one branch is regenerated"));
                }
            }
        }
        return out;
    }

    private static Footprint[] firstConflict(List<Footprint> from, List<Footprint> to) {
        for (Footprint a : from) {
            List<String> written = new ArrayList<>(a.writes());
            written.addAll(a.sharedWrites());
            for (Footprint b : to) {
                boolean touches = b.writes().stream().anyMatch(written::contains) || b.reads().stream().anyMatch(written::contains);
                if (touches && !a.sameChange(b)) {
                    return new Footprint[] {a, b};
                }
            }
        }
        return null;
    }

    private static List<Footprint> footprints(Set<String> in, Set<String> notIn, Map<String, Header> byId) {
        List<Footprint> out = new ArrayList<>();
        in.stream().filter(id -> !notIn.contains(id)).forEach(id -> out.addAll(byId.get(id).footprints()));
        return out;
    }

    /** The snapshot and all its ancestors, along every parent. */
    private static Set<String> ancestors(Header leaf, Map<String, Header> byId) {
        Set<String> seen = new java.util.LinkedHashSet<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(leaf.id()));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            Header h = byId.get(id);
            if (h != null && seen.add(id)) {
                todo.addAll(h.prevIds());
            }
        }
        return seen;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
