package dev.mellon.migrator.schema;

import java.util.List;
import java.util.Map;

/**
 * Prints JSON exactly as JavaScript's {@code JSON.stringify(value, null, 2)} does: two-space indent, {@code "key": value},
 * empty objects and arrays as {@code {}} and {@code []}, strings escaped the way V8 escapes them, no trailing newline.
 * Values are {@link Map} (in iteration order), {@link List}, {@link Literal}, {@link String}, {@link Boolean} or
 * {@link Number}; {@code null} map values are left out, as JavaScript leaves out {@code undefined}.
 */
public final class JsonWriter {

    /** An explicit JSON {@code null}, which a map keeps (a Java {@code null} value is left out, as {@code undefined}). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private JsonWriter() {
    }

    /**
     * A Jackson tree as the values this writer prints: objects in their order, JSON nulls kept ({@link #NULL}), numbers
     * printed as JavaScript prints them.
     */
    public static Object plain(com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new java.util.LinkedHashMap<>();
            node.fields().forEachRemaining(f -> map.put(f.getKey(), plain(f.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new java.util.ArrayList<>();
            node.forEach(n -> list.add(plain(n)));
            return list;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return Literal.number(SnapshotCodec.jsNumber(node.decimalValue()));
        }
        return node.isNull() || node.isMissingNode() ? NULL : node.asText();
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, int depth) {
        if (value instanceof Map<?, ?> map) {
            writeObject(out, map, depth);
        } else if (value instanceof List<?> list) {
            writeArray(out, list, depth);
        } else if (value instanceof Literal literal) {
            if (literal.kind() == Literal.Kind.STRING) {
                quote(out, literal.text());
            } else {
                out.append(literal.text());
            }
        } else if (value instanceof String s) {
            quote(out, s);
        } else if (value instanceof Boolean || value instanceof Number) {
            out.append(value);
        } else if (value == null || value == NULL) {
            out.append("null");
        } else {
            throw new IllegalArgumentException("Not a JSON value: " + value.getClass());
        }
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map, int depth) {
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            out.append(first ? "{\n" : ",\n");
            first = false;
            indent(out, depth + 1);
            quote(out, entry.getKey().toString());
            out.append(": ");
            write(out, entry.getValue(), depth + 1);
        }
        if (first) {
            out.append("{}");
        } else {
            out.append('\n');
            indent(out, depth);
            out.append('}');
        }
    }

    private static void writeArray(StringBuilder out, List<?> list, int depth) {
        if (list.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append("[\n");
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(",\n");
            }
            indent(out, depth + 1);
            write(out, list.get(i), depth + 1);
        }
        out.append('\n');
        indent(out, depth);
        out.append(']');
    }

    private static void indent(StringBuilder out, int depth) {
        out.append("  ".repeat(depth));
    }

    /** V8's JSON.stringify string escaping (ES2019 well-formed: lone surrogates become \\uXXXX). */
    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
