package dev.mellon.migrator.testing;

import dev.mellon.migrator.engine.schema.MigrationVerifier;
import dev.mellon.migrator.engine.sandbox.Sandboxes;

/** A database of the test server with sandboxes on it and generate's proof on those, for one test class. */
public final class ProofServer implements AutoCloseable {

    private final TestDatabase database;
    private final Sandboxes sandboxes;
    private final MigrationVerifier verifier;

    private ProofServer(String prefix) {
        database = TestDatabase.create(prefix);
        sandboxes = TestSandboxes.on(database.database());
        verifier = TestSandboxes.verifier(sandboxes);
    }

    public static ProofServer start(String prefix) {
        return new ProofServer(prefix);
    }

    public TestDatabase.Database database() {
        return database.database();
    }

    public Sandboxes sandboxes() {
        return sandboxes;
    }

    public MigrationVerifier verifier() {
        return verifier;
    }

    @Override
    public void close() {
        database.close();
    }
}
