package dev.mellon.migrator.studio;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/** The studio tests' own schema in the application's database: authors and books, a table without a key, a canary. */
final class StudioFixture {

    static final String SCHEMA = "studio_test";
    static final int AUTHORS = 120;

    private StudioFixture() {
    }

    static synchronized void create(DataSource pool) throws Exception {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS studio_test CASCADE");
            statement.execute("CREATE SCHEMA studio_test");
            statement.execute("CREATE TABLE studio_test.authors (id serial PRIMARY KEY, name text NOT NULL, email text, "
                    + "age integer NOT NULL, born date, bio text, data jsonb, avatar bytea)");
            statement.execute("INSERT INTO studio_test.authors (name, email, age, born, bio, data, avatar) "
                    + "SELECT CASE WHEN i = 7 THEN '100%_sure' ELSE 'author ' || i END, "
                    + "CASE WHEN i % 10 = 0 THEN NULL ELSE 'a' || i || '@example.test' END, 18 + i % 50, "
                    + "date '1970-01-01' + i, CASE WHEN i = 1 THEN repeat('x', 500) ELSE 'bio ' || i END, "
                    + "jsonb_build_object('n', i), CASE WHEN i = 1 THEN decode(repeat('ab', 100), 'hex') WHEN i = 2 THEN '\\x0102'::bytea END "
                    + "FROM generate_series(1, " + AUTHORS + ") AS i");
            statement.execute("CREATE TABLE studio_test.books (id bigint PRIMARY KEY, author_id integer NOT NULL "
                    + "REFERENCES studio_test.authors (id), title text NOT NULL, price numeric(8,2))");
            statement.execute("INSERT INTO studio_test.books SELECT i, 1 + i % 5, 'Book ' || i, i * 1.5 FROM generate_series(1, 30) i");
            statement.execute("CREATE TABLE studio_test.nokey (label text, \"x:y\" integer, meta json)");
            statement.execute("INSERT INTO studio_test.nokey SELECT 'row ' || i, i, json_build_object('i', i) FROM generate_series(1, 25) i");
            statement.execute("CREATE TABLE studio_test.canary (id integer)");
            statement.execute("CREATE FUNCTION studio_test.sneaky() RETURNS integer LANGUAGE sql VOLATILE AS "
                    + "$$ INSERT INTO studio_test.canary VALUES (666) RETURNING id $$");
            statement.execute("CREATE VIEW studio_test.sneaky_view AS SELECT studio_test.sneaky() AS x");
            statement.execute("ANALYZE studio_test.authors");
        }
    }

    /** Leaves the application's database as the other test classes expect it. */
    static synchronized void drop(DataSource pool) throws Exception {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS studio_test CASCADE");
        }
    }

    static boolean canaryIntact(DataSource pool) throws Exception {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM studio_test.canary")) {
            return rs.next() && rs.getLong(1) == 0;
        }
    }
}
