package dev.mellon.migrator.web.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configured tokens, kept only as SHA-256 hashes. A presented token is hashed and compared with every configured
 * hash in constant time, without stopping at the first match, so neither the comparison nor the loop tells an
 * attacker how close a guess came.
 */
public final class TokenRegistry {

    private static final String PREFIX = "sha256:";

    /** One configured token: its name (the principal and the audit trail's {@code applied_by}), hash and roles. */
    public record Token(String name, byte[] hash, Set<Role> roles) {
    }

    private final List<Token> tokens;

    private TokenRegistry(List<Token> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    /**
     * @param configured name to (hash, role names), as {@code migrator.auth.tokens.<name>.hash/roles} give them
     * @throws IllegalArgumentException naming the token whose hash or roles are malformed (never echoing the hash)
     */
    public static TokenRegistry of(Map<String, Map.Entry<String, List<String>>> configured) {
        List<Token> tokens = new ArrayList<>();
        configured.forEach((name, config) -> {
            String hash = config.getKey() == null ? "" : config.getKey().strip();
            if (!hash.startsWith(PREFIX) || hash.length() != PREFIX.length() + 64) {
                throw new IllegalArgumentException("migrator.auth.tokens." + name + ".hash must be \"sha256:\" followed by 64 hex"
                        + " digits (e.g. printf %s \"$TOKEN\" | sha256sum)");
            }
            byte[] digest;
            try {
                digest = HexFormat.of().parseHex(hash.substring(PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("migrator.auth.tokens." + name + ".hash is not hexadecimal");
            }
            Set<Role> roles = EnumSet.noneOf(Role.class);
            for (String role : config.getValue()) {
                try {
                    roles.addAll(Role.parse(role).closure());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("migrator.auth.tokens." + name + ".roles: " + e.getMessage());
                }
            }
            if (roles.isEmpty()) {
                throw new IllegalArgumentException("migrator.auth.tokens." + name + ".roles names no role");
            }
            tokens.add(new Token(name, digest, roles));
        });
        return new TokenRegistry(tokens);
    }

    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    public int size() {
        return tokens.size();
    }

    /** The token whose hash the presented secret has, compared in constant time against every token. */
    public Optional<Token> match(String presented) {
        byte[] digest = sha256(presented);
        Token found = null;
        for (Token token : tokens) {
            if (MessageDigest.isEqual(digest, token.hash()) && found == null) {
                found = token;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The configuration value for a secret: what an operator writes into {@code migrator.auth.tokens.<name>.hash}. */
    public static String hashOf(String secret) {
        return PREFIX + HexFormat.of().formatHex(sha256(secret));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
