package dev.mellon.migrator.api;

import dev.mellon.migrator.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Errors raised outside our resources (the HTTP layer's body limit, unknown routes, wrong methods and media types)
 * are problem documents too, like every error the service gives.
 */
@QuarkusTest
class ErrorModelTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URL root;

    @Test
    void aBodyOverTheLimitIsA413ProblemBeforeTheBodyIsSent() throws Exception {
        // Only the headers are sent: the refusal must come from the declared length, without reading a byte of body.
        // (A raw socket, because JDK 17's HttpClient never returns when a 100-continue request gets a final status with
        // a body, JDK-8286171; curl and other clients read the problem.)
        try (java.net.Socket socket = new java.net.Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(30_000);
            String head = "POST /migrations/apply HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: " + TestTokens.bearer(TestTokens.ADMIN) + "\r\nContent-Length: " + (11 * 1024 * 1024)
                    + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String response = readResponse(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertTrue(response.toLowerCase().contains("content-type: application/problem+json"), response);
            assertTrue(response.contains("\"type\":\"https://mellon-migrator.dev/problems/request-too-large\""), response);
        }
    }

    @Test
    void unknownRoutesWrongMethodsAndMediaTypesAreProblems() throws Exception {
        assertProblem(send("GET", "/no/such/route", null, null), 404, "not-found");
        assertProblem(send("DELETE", "/migrations", null, null), 405, "http-405");
        assertProblem(send("POST", "/schema/diff", "{}", "text/plain"), 415, "http-415");
    }

    /** The status line, headers and as much body as Content-Length announces; the connection may stay open. */
    private static String readResponse(java.io.InputStream in) throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        int contentLength = -1;
        int headerEnd = -1;
        while (headerEnd < 0 || text.length() < headerEnd + contentLength) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            text.append((char) b);
            if (headerEnd < 0 && text.toString().endsWith("\r\n\r\n")) {
                headerEnd = text.length();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(text);
                contentLength = m.find() ? Integer.parseInt(m.group(1)) : 0;
            }
        }
        return text.toString();
    }

    private void assertProblem(HttpResponse<String> response, int status, String type) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                response.headers().map().toString());
        assertTrue(response.body().contains("\"type\":\"https://mellon-migrator.dev/problems/" + type + "\""), response.body());
        assertTrue(response.body().contains("\"status\":" + status), response.body());
        assertFalse(response.body().contains("Exception"), response.body());
    }

    private HttpResponse<String> send(String method, String path, String body, String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path))
                .header("Authorization", TestTokens.bearer(TestTokens.ADMIN)).timeout(Duration.ofSeconds(60));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
