package dev.mellon.migrator.diff;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExpressionsTest {

    /** drizzle-kit's text on the left, PostgreSQL's deparse on the right. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "\"users\".\"active\" = true                   | (active = true)                                              | true",
            "'open'                                        | 'open'::status                                               | true",
            "'open'                                        | 'open'::\"app\".\"status\"                                   | true",
            "0                                             | (0)::numeric                                                 | true",
            "'0'                                           | 0                                                            | true",
            "'{\"a\":1,\"b\":[1,2]}'::jsonb                | '{\"b\": [1, 2], \"a\": 1}'::jsonb                           | true",
            "'{\"a\",\"b\"}'                               | '{a,b}'::text[]                                              | true",
            "lower(\"email\")                              | lower((email)::text)                                         | true",
            "\"t\".\"status\" IN ('a', 'b')                | (status = ANY (ARRAY['a'::text, 'b'::text]))                 | true",
            "now()                                         | now()                                                        | true",
            "\"t\".\"s\" IN ('a', 'b')                 | ((s)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])) | true",
            "s NOT IN ('a')                                | (s <> ALL (ARRAY['a'::text]))                                | true",
            "'it''s'                                       | 'it''s'::text                                                | true",
            "\"users\".\"balance\" >= 0                    | (balance >= (0)::numeric)                                    | true",
            "true                                          | false                                                        | false",
            "'open'                                        | 'done'::status                                               | false",
            "\"users\".\"active\" = true                   | (active = false)                                             | false",
            "'{\"a\":1}'::jsonb                            | '{\"a\": 2}'::jsonb                                          | false",
            "\"Name\" IS NULL                              | (name IS NULL)                                               | false"})
    void deparsedFormsCompareEqualAndRealChangesDoNot(String drizzle, String postgres, boolean same) {
        assertEquals(same, Expressions.same(drizzle.strip(), postgres.strip()),
                Expressions.normalize(drizzle.strip()) + " vs " + Expressions.normalize(postgres.strip()));
    }
}
