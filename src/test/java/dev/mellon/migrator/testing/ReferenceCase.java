package dev.mellon.migrator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.schema.SnapshotCodec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One case of the drizzle-kit 0.31.11 reference ({@code drizzle-kit/reference/cases.json}): a schema edit written in
 * drizzle-orm, the two snapshots {@code generateDrizzleJson} made of it and the statements {@code generateMigration}
 * printed.
 */
public record ReferenceCase(String n, String desc, SchemaModel prev, SchemaModel cur, List<String> statements) {

    public String title() {
        return n + " " + desc;
    }

    public static List<ReferenceCase> all() {
        JsonNode cases;
        try (InputStream in = ReferenceCase.class.getResourceAsStream("/drizzle-kit/reference/cases.json")) {
            cases = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SnapshotCodec codec = new SnapshotCodec();
        List<ReferenceCase> out = new ArrayList<>();
        for (JsonNode c : cases) {
            List<String> statements = new ArrayList<>();
            c.get("statements").forEach(s -> statements.add(s.asText()));
            out.add(new ReferenceCase(c.get("n").asText(), c.get("desc").asText(), codec.read(c.get("prev").toString(), "prev").schema(),
                    codec.read(c.get("cur").toString(), "cur").schema(), List.copyOf(statements)));
        }
        return out;
    }
}
