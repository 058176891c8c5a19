package dev.mellon.migrator.introspect;

/** Something in the database that a Drizzle snapshot cannot express: a function, trigger, extension, ... */
public record UnmanagedObject(String kind, String schema, String name, String detail) {
}
