package dev.mellon.migrator.diff;

import dev.mellon.migrator.schema.Literal;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The {@code WITH (...)} options of an index or a view as one comparison text, in name order. */
final class StorageParameters {

    private StorageParameters() {
    }

    static String text(Map<String, Literal> with) {
        return new TreeMap<>(with).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().text())
                .collect(Collectors.joining(", "));
    }
}
