package dev.mellon.migrator.testing;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

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

    /**
     * Makes every RestAssured request without its own {@code Authorization} header authenticate as admin, so tests of
     * behaviour need not repeat it; tests of access control send their own header or use a plain HTTP client.
     */
    public static synchronized void defaultToAdmin() {
        if (RestAssured.filters().stream().noneMatch(AdminByDefault.class::isInstance)) {
            RestAssured.filters(new AdminByDefault());
        }
    }

    private static final class AdminByDefault implements Filter {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                               FilterContext context) {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", bearer(ADMIN));
            }
            return context.next(request, response);
        }
    }

    /** The {@code Authorization} header value for a token. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
