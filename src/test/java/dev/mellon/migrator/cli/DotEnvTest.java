package dev.mellon.migrator.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@code .env} read as the dotenv package reads it, and the command word found before Quarkus starts. */
class DotEnvTest {

    @Test
    void readsDotenvSyntax() {
        Map<String, String> env = DotEnv.parse(String.join("\n",
                "# a comment",
                "DATABASE_URL=postgresql://u:p@h:5432/db",
                "export MIGRATOR_FOLDER = ./drizzle  # trailing comment",
                "SINGLE='a # not a comment'",
                "DOUBLE=\"line1\\nline2\"",
                "BACK=`x`",
                "EMPTY=",
                "MULTI=\"first",
                "second\"",
                "  SPACED  =  value  ",
                "not a line"));
        assertEquals("postgresql://u:p@h:5432/db", env.get("DATABASE_URL"));
        assertEquals("./drizzle", env.get("MIGRATOR_FOLDER"));
        assertEquals("a # not a comment", env.get("SINGLE"));
        assertEquals("line1\nline2", env.get("DOUBLE"));
        assertEquals("x", env.get("BACK"));
        assertEquals("", env.get("EMPTY"));
        assertEquals("first\nsecond", env.get("MULTI"));
        assertEquals("value", env.get("SPACED"));
        assertNull(env.get("not"));
    }

    @Test
    void findsTheCommandWordPastTheOptionsThatTakeValues() {
        assertNull(Launch.command(new String[]{}));
        assertNull(Launch.command(new String[]{"--folder", "apply"}));
        assertEquals("apply", Launch.command(new String[]{"--database-url", "postgresql://h/db", "apply", "--json"}));
        assertEquals("status", Launch.command(new String[]{"--folder=x", "status"}));
        assertEquals("x", Launch.option(new String[]{"apply", "--folder=x"}, "--folder"));
        assertEquals("y", Launch.option(new String[]{"apply", "--folder", "y"}, "--folder"));
        assertArrayEquals(new int[]{2}, new int[]{Exits.USAGE});
    }
}
