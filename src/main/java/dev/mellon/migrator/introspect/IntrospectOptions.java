package dev.mellon.migrator.introspect;

import dev.mellon.migrator.schema.NameFilter;

import java.util.Set;

/**
 * What to read.
 *
 * @param schemas  which schemas to read (drizzle's {@code schemaFilter})
 * @param tables   which tables to read (drizzle's {@code tablesFilter})
 * @param excluded qualified {@code schema.table} names never read: the tracking and audit tables
 */
public record IntrospectOptions(NameFilter schemas, NameFilter tables, Set<String> excluded) {

    public IntrospectOptions {
        excluded = Set.copyOf(excluded);
    }

    public static IntrospectOptions all() {
        return new IntrospectOptions(NameFilter.all(), NameFilter.all(), Set.of());
    }
}
