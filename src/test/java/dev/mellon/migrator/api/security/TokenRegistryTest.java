package dev.mellon.migrator.web.security;

import io.quarkus.runtime.LaunchMode;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenRegistryTest {

    private static TokenRegistry registry(String... nameHashRoles) {
        Map<String, Map.Entry<String, List<String>>> configured = new LinkedHashMap<>();
        for (int i = 0; i < nameHashRoles.length; i += 3) {
            configured.put(nameHashRoles[i], Map.entry(nameHashRoles[i + 1], List.of(nameHashRoles[i + 2].split(","))));
        }
        return TokenRegistry.of(configured);
    }

    @Test
    void aTokenMatchesItsHashAndCarriesItsRolesWithTheirImpliedRoles() {
        TokenRegistry tokens = registry("ci", TokenRegistry.hashOf("s3cret"), "deployer",
                "ops", TokenRegistry.hashOf("other"), "admin");
        TokenRegistry.Token ci = tokens.match("s3cret").orElseThrow();
        assertEquals("ci", ci.name());
        assertEquals(Set.of(Role.DEPLOYER, Role.VIEWER), ci.roles());
        assertEquals(Set.of(Role.values()), tokens.match("other").orElseThrow().roles());
        assertTrue(tokens.match("s3cre").isEmpty());
        assertTrue(tokens.match("").isEmpty());
    }

    @Test
    void hashesAreComparedCaseInsensitivelyAsHex() {
        TokenRegistry tokens = registry("ci", TokenRegistry.hashOf("x").toUpperCase().replace("SHA256:", "sha256:"), "viewer");
        assertTrue(tokens.match("x").isPresent());
    }

    @Test
    void malformedConfigurationNamesTheTokenButNeverEchoesTheHash() {
        String hash = "sha256:" + "ab".repeat(31);
        IllegalArgumentException shortHash = assertThrows(IllegalArgumentException.class, () -> registry("ci", hash, "viewer"));
        assertTrue(shortHash.getMessage().contains("migrator.auth.tokens.ci.hash"), shortHash.getMessage());
        assertFalse(shortHash.getMessage().contains(hash));
        assertThrows(IllegalArgumentException.class, () -> registry("ci", "plain-secret", "viewer"));
        assertThrows(IllegalArgumentException.class, () -> registry("ci", "sha256:" + "zz".repeat(32), "viewer"));
        IllegalArgumentException role = assertThrows(IllegalArgumentException.class,
                () -> registry("ci", TokenRegistry.hashOf("x"), "superuser"));
        assertTrue(role.getMessage().contains("superuser"), role.getMessage());
    }

    @Test
    void productionRefusesToStartOpenUnlessToldTo() {
        assertThrows(IllegalStateException.class, () -> AccessPolicy.decide(null, true, LaunchMode.NORMAL));
        assertFalse(AccessPolicy.decide(false, true, LaunchMode.NORMAL));
        assertTrue(AccessPolicy.decide(null, false, LaunchMode.NORMAL));
        assertFalse(AccessPolicy.decide(null, true, LaunchMode.DEVELOPMENT));
        assertThrows(IllegalStateException.class, () -> AccessPolicy.decide(true, true, LaunchMode.DEVELOPMENT));
        assertFalse(AccessPolicy.decide(false, false, LaunchMode.NORMAL));
    }
}
