package dev.mellon.migrator.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SecretsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgresql://app:hunter2@db:5432/shop|postgresql://app:***@db:5432/shop",
            "postgres://app:p%40ss@db/shop?sslmode=require|postgres://app:***@db/shop?sslmode=require",
            "jdbc:postgresql://db/shop?user=app&password=hunter2&ssl=true|jdbc:postgresql://db/shop?user=app&password=***&ssl=true",
            "jdbc:postgresql://db/shop?sslpassword=keypass|jdbc:postgresql://db/shop?sslpassword=***",
            "host=db user=app password='a b' dbname=shop|host=db user=app password=*** dbname=shop",
            "FATAL: password authentication failed for user \"app\"|FATAL: password authentication failed for user \"app\"",
            "Authorization: Bearer abc.def-123|Authorization: Bearer ***",
            "This operation needs a bearer token: send Authorization: Bearer <token>|This operation needs a bearer token: send Authorization: Bearer <token>",
            "Bearer token-4f2a9c|Bearer ***",
            "Bearer Token|Bearer Token",
            "postgresql://app@db/shop|postgresql://app@db/shop",
            "PASSWORD=x;Other=y|PASSWORD=***;Other=y"})
    void masksPasswordsAndTokensAndLeavesTheRest(String input, String expected) {
        assertEquals(expected, Secrets.mask(input));
    }

    @org.junit.jupiter.api.Test
    void databaseUrlToStringNeverShowsThePassword() {
        assertEquals(false, DatabaseUrl.parse("jdbc:postgresql://db/shop?password=hunter2").toString().contains("hunter2"));
        assertEquals(false, DatabaseUrl.parse("postgresql://u:hunter2@db/shop").toString().contains("hunter2"));
    }
}
