package dev.mellon.migrator.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Holds the annotation that makes {@link TestDatabaseResource} apply to every {@code @QuarkusTest}. */
@QuarkusTestResource(TestDatabaseResource.class)
public final class GlobalTestResources {
    private GlobalTestResources() {
    }
}
