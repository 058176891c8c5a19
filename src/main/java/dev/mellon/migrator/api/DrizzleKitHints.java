package dev.mellon.migrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mellon.migrator.diff.Rename;
import dev.mellon.migrator.web.InvalidRequestException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * drizzle-kit 1.0's {@code --hints} array, read as rename hints: a {@code rename} of a schema, table, column or enum
 * names the old and new entity as arrays ({@code ["public","posts","title"]}); a {@code create} says an entity is new,
 * which is what this service assumes without a hint; {@code confirm_data_loss} answers a question only push asks, and
 * push takes {@code acceptDataLoss} for it.
 */
final class DrizzleKitHints {

    /** The length of an entity's name array, by kind, for the kinds a rename can name here. */
    private static final Map<String, Integer> RENAMEABLE = Map.of("schema", 1, "table", 2, "enum", 2, "column", 3);

    private DrizzleKitHints() {
    }

    static List<Rename> renames(List<JsonNode> hints) {
        List<Rename> out = new ArrayList<>();
        if (hints == null) {
            return out;
        }
        for (int i = 0; i < hints.size(); i++) {
            JsonNode hint = hints.get(i);
            String field = "hints[" + i + "]";
            if (hint == null || !hint.isObject()) {
                throw new InvalidRequestException(field, "A hint is an object such as {\"type\":\"rename\",\"kind\":\"column\","
                        + "\"from\":[\"public\",\"posts\",\"title\"],\"to\":[\"public\",\"posts\",\"headline\"]}");
            }
            String type = hint.path("type").asText();
            String kind = hint.path("kind").asText();
            switch (type) {
                case "rename" -> {
                    Integer size = RENAMEABLE.get(kind);
                    if (size == null) {
                        throw new InvalidRequestException(field + ".kind", "A rename of a " + (kind.isEmpty() ? "(no kind)" : kind)
                                + " is not followed here: use schema, table, column or enum (others stay drop and create)");
                    }
                    out.add(new Rename(Rename.Kind.parse(kind), name(hint.path("from"), size, field + ".from"),
                            name(hint.path("to"), size, field + ".to")));
                }
                case "create", "confirm_data_loss" -> {
                    // A create is the default here; data loss is confirmed with acceptDataLoss on push.
                }
                default -> throw new InvalidRequestException(field + ".type", "A hint's type is rename, create or"
                        + " confirm_data_loss, not \"" + type + "\"");
            }
        }
        return out;
    }

    private static String name(JsonNode array, int size, String field) {
        if (!array.isArray() || array.size() != size) {
            throw new InvalidRequestException(field, "Name the entity as an array of " + size + " string(s)"
                    + (size == 3 ? ": [schema, table, name]" : size == 2 ? ": [schema, name]" : ": [name]"));
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode part : array) {
            if (!part.isTextual() || part.asText().isEmpty()) {
                throw new InvalidRequestException(field, "Every part of the name must be a non-empty string");
            }
            parts.add(part.asText());
        }
        return String.join(".", parts);
    }
}
