package dev.coe.evaluation.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Sends conversations to the router's {@code /v1/chat/completions} (non-streaming) and reads how it routed
 * them from the {@code x-coe-expert}, {@code x-coe-category} and {@code x-coe-confidence} headers. Retries
 * connection failures, 429 and 5xx with exponential backoff; a 4xx other than 429 is the request's fault and
 * is not retried. The API key, when the router needs one, comes from the environment only. Thread-safe.
 */
public final class RouterClient implements ChatEndpoint {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final URI endpoint;
    private final String apiKey;
    private final int maxAttempts;

    /**
     * @param routerBaseUrl e.g. {@code http://localhost:8080}
     * @param apiKey        bearer token for the router, or null
     * @param maxAttempts   attempts per conversation, first included
     */
    public RouterClient(String routerBaseUrl, String apiKey, int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, but was " + maxAttempts);
        }
        this.endpoint = URI.create(routerBaseUrl.replaceAll("/+$", "") + "/v1/chat/completions");
        this.apiKey = apiKey;
        this.maxAttempts = maxAttempts;
    }

    /**
     * @param model    {@code auto} to let the router route, or an expert id to call it directly (the judge)
     * @param messages alternating user and assistant messages, user first and last
     * @param system   a system message, or null
     * @throws RouterCallFailedException when every attempt failed
     */
    @Override
    public RoutedAnswer chat(String model, String system, List<String> messages) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        ArrayNode array = body.putArray("messages");
        if (system != null) {
            array.addObject().put("role", "system").put("content", system);
        }
        for (int i = 0; i < messages.size(); i++) {
            array.addObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", messages.get(i));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(DEFAULT_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        RouterCallFailedException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                sleep(DEFAULT_INITIAL_BACKOFF.multipliedBy(1L << (attempt - 2)));
            }
            long start = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                double ms = (System.nanoTime() - start) / 1e6;
                if (response.statusCode() == 200) {
                    return parse(response, ms);
                }
                last = new RouterCallFailedException("router answered " + response.statusCode() + ": "
                        + abbreviate(response.body()), response.statusCode(), null);
                if (response.statusCode() != 429 && response.statusCode() < 500) {
                    throw last;
                }
            } catch (IOException e) {
                last = new RouterCallFailedException("router call failed: " + e.getMessage(), 0, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RouterCallFailedException("interrupted", 0, e);
            }
        }
        throw last;
    }

    private static RoutedAnswer parse(HttpResponse<String> response, double ms) throws IOException {
        JsonNode root = JSON.readTree(response.body());
        String content = root.at("/choices/0/message/content").asText(null);
        String confidence = response.headers().firstValue("x-coe-confidence").orElse(null);
        return new RoutedAnswer(response.headers().firstValue("x-coe-expert").orElse(null),
                response.headers().firstValue("x-coe-category").orElse(null),
                confidence == null ? null : Double.valueOf(confidence), content, ms);
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouterCallFailedException("interrupted", 0, e);
        }
    }
}
