package dev.mellon.migrator.engine.sandbox;

/**
 * An extension a sandbox is given before anything runs in it, so that what the schema uses ({@code uuid_generate_v4()},
 * {@code vector}, {@code gin_trgm_ops}) exists there as it does where the schema came from.
 *
 * @param schema where its objects go; {@code null} for the extension's default
 */
public record Extension(String name, String schema) implements Comparable<Extension> {

    @Override
    public int compareTo(Extension other) {
        int byName = name.compareTo(other.name);
        return byName != 0 ? byName : String.valueOf(schema).compareTo(String.valueOf(other.schema));
    }
}
