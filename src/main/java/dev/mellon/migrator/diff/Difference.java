package dev.mellon.migrator.diff;

/**
 * One difference between an expected and an actual schema.
 *
 * @param objectKind {@code schema}, {@code enum}, {@code sequence}, {@code table}, {@code column}, {@code index},
 *                   {@code foreignKey}, {@code primaryKey}, {@code unique}, {@code check}, {@code policy}, {@code view}
 * @param name       the qualified name, e.g. {@code public.users.email}
 * @param change     {@code missing} (expected, not found), {@code unexpected} (found, not expected) or {@code changed}
 * @param attribute  for {@code changed}: what differs ({@code type}, {@code notNull}, {@code default}, {@code values}, ...)
 * @param expected   the expected value, as text
 * @param actual     the actual value, as text
 */
public record Difference(String objectKind, String name, String change, String attribute, String expected, String actual) {

    static Difference missing(String kind, String name) {
        return new Difference(kind, name, "missing", null, null, null);
    }

    static Difference unexpected(String kind, String name) {
        return new Difference(kind, name, "unexpected", null, null, null);
    }

    static Difference changed(String kind, String name, String attribute, Object expected, Object actual) {
        return new Difference(kind, name, "changed", attribute, expected == null ? null : expected.toString(),
                actual == null ? null : actual.toString());
    }
}
