package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A plain HTTP client for the admin API and the chat endpoint of a {@link RouterUnderTest}, with HTTP Basic
 * credentials (or none), that never follows redirects. Thread-safe.
 */
final class AdminClient {

    static final String USER = "operator";
    static final String PASSWORD = "it-admin-secret";
    /**
     * Properties of a router that an admin test drives: the credentials above, and no periodic health checks, whose
     * calls the tests' stub experts would otherwise count; then {@code more}.
     */
    static String[] routerProperties(String... more) {
        return RouterUnderTest.with(new String[] {"coe.admin.username=" + USER, "coe.admin.password=" + PASSWORD,
                "coe.health-check-interval=1h"}, more);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String authorization;

    private AdminClient(String baseUrl, String authorization) {
        this.baseUrl = baseUrl;
        this.authorization = authorization;
    }

    static AdminClient of(RouterUnderTest router) {
        return new AdminClient(router.baseUrl(), basic(USER, PASSWORD));
    }

    static AdminClient anonymous(RouterUnderTest router) {
        return new AdminClient(router.baseUrl(), null);
    }

    static AdminClient withPassword(RouterUnderTest router, String password) {
        return new AdminClient(router.baseUrl(), basic(USER, password));
    }

    /** One answer: status, headers and the body as text and as JSON (null when it is not JSON). */
    record Answer(int status, HttpResponse<String> response) {
        String body() {
            return response.body();
        }

        JsonNode json() {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + response.body(), e);
            }
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        String etag() {
            return header("ETag");
        }

        /** The codes of a 422 problem's field errors. */
        java.util.List<String> errorCodes() {
            java.util.List<String> codes = new java.util.ArrayList<>();
            json().path("errors").forEach(e -> codes.add(e.path("code").asText()));
            return codes;
        }
    }

    Answer get(String path) {
        return send(request(path).GET().build());
    }

    Answer get(String path, Map<String, String> headers) {
        HttpRequest.Builder b = request(path).GET();
        headers.forEach(b::header);
        return send(b.build());
    }

    Answer put(String path, String ifMatch, Object body) {
        return send(withIfMatch(request(path), ifMatch).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(text(body))).build());
    }

    Answer post(String path, String ifMatch, Object body) {
        return send(withIfMatch(request(path), ifMatch).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text(body))).build());
    }

    /** A JSON merge patch (RFC 7396); {@code body} as text when it must carry a null. */
    Answer patch(String path, Object body) {
        return send(request(path).header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(text(body))).build());
    }

    Answer delete(String path, String ifMatch) {
        return send(withIfMatch(request(path), ifMatch).DELETE().build());
    }

    /** The live version's ETag. */
    String etag() {
        return get("/admin/api/config").etag();
    }

    /** A chat completion routed by the router ({@code model: auto}); the caller reads {@code x-coe-expert}. */
    Answer chat(String prompt) {
        return post("/v1/chat/completions", null,
                Map.of("model", "auto", "messages", java.util.List.of(Map.of("role", "user", "content", prompt))));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private static HttpRequest.Builder withIfMatch(HttpRequest.Builder b, String ifMatch) {
        return ifMatch == null ? b : b.header("If-Match", ifMatch);
    }

    private static String text(Object body) {
        if (body instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
