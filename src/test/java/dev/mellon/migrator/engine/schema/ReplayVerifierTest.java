package dev.mellon.migrator.engine.schema;

import dev.mellon.migrator.folder.FolderReader;
import dev.mellon.migrator.folder.Migration;
import dev.mellon.migrator.schema.SchemaModel;
import dev.mellon.migrator.testing.TestDatabase;
import dev.mellon.migrator.testing.ProofServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proof generate and rebase ask for: new entries applied to a replay of the history they follow, compared with
 * the schema they should make. Each way a proof can end is made to happen here, on a real server.
 */
class ReplayVerifierTest {

    private static final String USERS = "CREATE TABLE \"users\" (\n\t\"id\" integer PRIMARY KEY NOT NULL,\n\t\"email\" text\n);\n";

    private static ProofServer server;
    private static MigrationVerifier verifier;

    @BeforeAll
    static void sandboxes() {
        server = ProofServer.start("mellon_verify");
        verifier = server.verifier();
    }

    @AfterAll
    static void drop() {
        server.close();
    }

    /** The schema {@code ddl} makes, as PostgreSQL prints it (built in a throwaway database of the test server). */
    private static SchemaModel schemaOf(String ddl) throws Exception {
        try (TestDatabase scratch = TestDatabase.create("mellon_verify_model")) {
            try (Connection c = scratch.database().connect(); Statement st = c.createStatement()) {
                st.execute(ddl);
                return new dev.mellon.migrator.introspect.Introspector().introspect(c,
                        dev.mellon.migrator.introspect.IntrospectOptions.all()).schema();
            }
        }
    }

    private static Migration entry(int idx, String tag, String... statements) {
        return FolderReader.migration(idx, tag, 1_700_000_000_000L + idx, String.join("--> statement-breakpoint\n", statements));
    }

    @Test
    void aMigrationThatMakesTheDesiredSchemaIsVerified() throws Exception {
        SchemaModel parent = schemaOf(USERS);
        SchemaModel desired = schemaOf(USERS + "ALTER TABLE users ADD COLUMN name text NOT NULL DEFAULT 'x';");
        Verification v = verifier.verify(List.of(entry(0, "0000_users", USERS)), parent,
                List.of(entry(1, "0001_name", "ALTER TABLE \"users\" ADD COLUMN \"name\" text DEFAULT 'x' NOT NULL;")), desired);
        assertInstanceOf(Verification.Verified.class, v, v.toString());
        assertTrue(v.millis() >= 0);
    }

    @Test
    void aStatementPostgresRefusesIsNamedWithItsSqlStateAndPosition() throws Exception {
        SchemaModel parent = schemaOf(USERS);
        SchemaModel desired = schemaOf(USERS + "ALTER TABLE users ALTER COLUMN email TYPE jsonb USING email::jsonb;");
        Verification v = verifier.verify(List.of(entry(0, "0000_users", USERS)), parent,
                List.of(entry(1, "0001_json", "ALTER TABLE \"users\" ADD COLUMN \"x\" text;",
                        "ALTER TABLE \"users\" ALTER COLUMN \"email\" SET DATA TYPE jsonb;")), desired);
        Verification.Failed failed = assertInstanceOf(Verification.Failed.class, v, v.toString());
        assertEquals("0001_json", failed.tag());
        assertEquals(2, failed.statementIndex());
        assertEquals("42804", failed.sqlState(), "cannot be cast automatically");
        assertTrue(failed.statement().contains("SET DATA TYPE jsonb"), failed.statement());
    }

    @Test
    void anEnumTheSnapshotUsesWithoutDefiningItIsNamed() throws Exception {
        // drizzle-kit leaves an enum the schema file does not export out of the snapshot; its columns still name it.
        SchemaModel parent = schemaOf(USERS);
        SchemaModel withEnum = schemaOf(USERS + "CREATE TYPE mood AS ENUM ('calm', 'angry'); ALTER TABLE users ADD COLUMN m mood;");
        java.util.Map<String, dev.mellon.migrator.schema.SchemaObjects.EnumType> enums = new java.util.LinkedHashMap<>(withEnum.enums());
        assertTrue(enums.keySet().removeIf(k -> k.endsWith("mood")), enums.toString());
        SchemaModel desired = new SchemaModel(withEnum.tables(), enums, withEnum.schemas(), withEnum.sequences(),
                withEnum.roles(), withEnum.policies(), withEnum.views());
        Verification v = verifier.verify(List.of(entry(0, "0000_users", USERS)), parent,
                List.of(entry(1, "0001_mood", "ALTER TABLE \"users\" ADD COLUMN \"m\" \"mood\";")), desired);
        Verification.Failed failed = assertInstanceOf(Verification.Failed.class, v, v.toString());
        assertEquals("42704", failed.sqlState(), "type does not exist");
        assertTrue(failed.hint() != null && failed.hint().contains("mood") && failed.hint().contains("export"), String.valueOf(failed.hint()));
    }

    @Test
    void aMigrationThatFallsShortNamesWhatStillDiffers() throws Exception {
        SchemaModel parent = schemaOf(USERS);
        SchemaModel desired = schemaOf(USERS + "ALTER TABLE users ADD COLUMN name text; CREATE INDEX users_email_idx ON users (email);");
        Verification v = verifier.verify(List.of(entry(0, "0000_users", USERS)), parent,
                List.of(entry(1, "0001_name", "ALTER TABLE \"users\" ADD COLUMN \"name\" text;")), desired);
        Verification.Incomplete incomplete = assertInstanceOf(Verification.Incomplete.class, v, v.toString());
        assertEquals(1, incomplete.remaining().size(), incomplete.remaining().toString());
        assertEquals("index", incomplete.remaining().get(0).objectKind());
        assertTrue(incomplete.remaining().get(0).name().endsWith("users_email_idx"), incomplete.remaining().toString());
    }

    @Test
    void whatTheHistoryAlreadyDisagreesOnIsNotBlamedOnTheNewMigration() throws Exception {
        // The history's SQL made an index by hand that its snapshot (the parent) never knew of.
        String handEdited = USERS + "--> statement-breakpoint\nCREATE INDEX \"users_email_idx\" ON \"users\" (\"email\");";
        SchemaModel parent = schemaOf(USERS);
        SchemaModel desired = schemaOf(USERS + "ALTER TABLE users ADD COLUMN name text;");
        Verification v = verifier.verify(List.of(entry(0, "0000_users", handEdited)), parent,
                List.of(entry(1, "0001_name", "ALTER TABLE \"users\" ADD COLUMN \"name\" text;")), desired);
        assertInstanceOf(Verification.Verified.class, v, v.toString());
    }

    @Test
    void aPolicyForARoleTheSandboxCannotCreateIsReportedNotRunNotFailed() throws Exception {
        String role = "mellon_verify_role_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        SchemaModel parent = schemaOf(USERS);
        TestDatabase.onServer("CREATE ROLE " + role);
        SchemaModel desired;
        try {
            desired = schemaOf(USERS + "ALTER TABLE users ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON users TO " + role
                    + " USING (true);");
        } finally {
            TestDatabase.onServer("DROP ROLE " + role);
        }
        Verification v = verifier.verify(List.of(entry(0, "0000_users", USERS)), parent, List.of(entry(1, "0001_policy",
                "CREATE ROLE \"" + role + "\";",
                "ALTER TABLE \"users\" ENABLE ROW LEVEL SECURITY;",
                "CREATE POLICY \"p\" ON \"users\" AS PERMISSIVE FOR ALL TO \"" + role + "\" USING (true);")), desired);
        Verification.Verified verified = assertInstanceOf(Verification.Verified.class, v, v.toString());
        assertEquals(2, verified.notRun().size(), verified.notRun().toString());
        assertFalse(roleExists(role), "the sandbox created no role");
    }

    @Test
    void aHistoryThatDoesNotReplaySaysWhyNothingWasProven() throws Exception {
        Verification v = verifier.verify(List.of(entry(0, "0000_broken", "CREATE TABLE t (id no_such_type);")), SchemaModel.empty(),
                List.of(entry(1, "0001_x", "CREATE TABLE \"x\" (\"id\" integer);")), schemaOf("CREATE TABLE x (id integer);"));
        Verification.NotVerified not = assertInstanceOf(Verification.NotVerified.class, v, v.toString());
        assertTrue(not.reason().contains("0000_broken"), not.reason());
    }

    private static boolean roleExists(String role) throws Exception {
        try (Connection c = server.database().connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select 1 from pg_roles where rolname = '" + role + "'")) {
            return rs.next();
        }
    }
}
