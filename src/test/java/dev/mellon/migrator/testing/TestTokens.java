package dev.mellon.migrator.testing;

/**
 * The bearer tokens the test profile configures (their SHA-256 hashes are in {@code application.properties} under
 * {@code %test.migrator.auth.tokens}), one per role.
 */
public final class TestTokens {

    public static final String VIEWER = "test-viewer-token";
    public static final String READER = "test-reader-token";
    public static final String DEPLOYER = "test-deployer-token";
    public static final String ADMIN = "test-admin-token";

    private TestTokens() {
    }

    /** The {@code Authorization} header value for a token. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
