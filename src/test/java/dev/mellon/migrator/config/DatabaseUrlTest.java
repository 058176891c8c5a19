package dev.mellon.migrator.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseUrlTest {

    @Test
    void libpqFormAsDrizzleUsersWriteIt() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:s%40cret@db.example:6543/shop?sslmode=require");
        assertEquals("jdbc:postgresql://db.example:6543/shop?sslmode=require", url.jdbcUrl());
        assertEquals("app", url.user());
        assertEquals("s@cret", url.password());
    }

    @Test
    void postgresSchemeWithoutPortOrPassword() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://postgres@127.0.0.1/postgres");
        assertEquals("jdbc:postgresql://127.0.0.1/postgres", url.jdbcUrl());
        assertEquals("postgres", url.user());
        assertNull(url.password());
    }

    @Test
    void ipv6HostAndUserInQuery() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://[::1]:5432/db?user=u&password=p&application_name=x");
        assertEquals("jdbc:postgresql://[::1]:5432/db?application_name=x", url.jdbcUrl());
        assertEquals("u", url.user());
        assertEquals("p", url.password());
    }

    @Test
    void jdbcFormPassesThrough() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://h:5432/d?user=x");
        assertEquals("jdbc:postgresql://h:5432/d?user=x", url.jdbcUrl());
        assertNull(url.user());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://u:p@h/d", "postgresql://u:p@h:99999/d", "postgresql://u:p@h:5432", "postgresql:///d",
            "just-a-secret-string", "postgresql://u:p@h:abc/d", " "})
    void malformedValuesNameTheVariableAndNeverThePassword(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(value));
        assertTrue(e.getMessage().contains("DATABASE_URL"), e.getMessage());
        assertFalse(e.getMessage().contains(":p@"), e.getMessage());
        assertFalse(e.getMessage().contains("just-a-secret-string"), e.getMessage());
    }

    @Test
    void toStringHidesThePassword() {
        assertFalse(DatabaseUrl.parse("postgresql://u:hunter2@h/d").toString().contains("hunter2"));
    }
}
