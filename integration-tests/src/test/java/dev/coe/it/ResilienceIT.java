package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coe.gateway.resilience.ManualClock;
import dev.coe.gateway.stub.OpenAiStubServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault injection through the running router: real HTTP from client to router to stub experts, with the gateway's
 * clock under the test's control, so that timeouts, backoff and breaker waits happen when the test advances time.
 * Each test asserts what the client sees and the counters on {@code /actuator/prometheus} that report it.
 * <p>
 * Every category's chain ends in {@code backup}; each failure mode has an expert of its own, so tests don't share
 * breaker state:
 * <pre>
 *   coding    -> flaky, backup     (breaker: 4 calls, opens at 50 %, 30 s wait, 1 probe; no retry)
 *   math      -> retrier, backup   (3 attempts, Retry-After up to 10 s)
 *   writing   -> gpu, backup       (bulkhead of 1, no queue)
 *   roleplay  -> hanger, backup    (first token within 5 s, whole call within 20 s)
 *   humanities-> dropper, backup   (2 attempts)
 *   extraction-> loaded, backup    (skipped while its /metrics shows more than 8 requests waiting)
 *   stem      -> dripper, backup   (whole call within 20 s; no retry)
 * </pre>
 */
class ResilienceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private static final OpenAiStubServer FLAKY = new OpenAiStubServer();
    private static final OpenAiStubServer RETRIER = new OpenAiStubServer();
    private static final OpenAiStubServer GPU = new OpenAiStubServer();
    private static final OpenAiStubServer HANGER = new OpenAiStubServer();
    private static final OpenAiStubServer DROPPER = new OpenAiStubServer();
    private static final OpenAiStubServer LOADED = new OpenAiStubServer();
    private static final OpenAiStubServer DRIPPER = new OpenAiStubServer();
    private static final OpenAiStubServer BACKUP = new OpenAiStubServer();
    private static final List<OpenAiStubServer> STUBS = List.of(FLAKY, RETRIER, GPU, HANGER, DROPPER, LOADED, DRIPPER, BACKUP);

    private static final String CODING = "Write a Python function that reverses a singly linked list in place.";
    private static final String MATH = "Solve for x: 3x + 7 = 22. Show each algebra step.";
    private static final String WRITING = "Write a short poem about autumn leaves falling in the rain.";
    private static final String ROLEPLAY = "Pretend you are a pirate captain and give a rousing speech to your crew before battle.";
    private static final String HUMANITIES = "Explain the main causes of the French Revolution and its effect on European politics.";
    private static final String EXTRACTION = "Extract every email address from this text and return them as a JSON list: "
            + "contact alice@example.com for sales or bob@example.org for support.";
    private static final String STEM = "Explain how photosynthesis converts light energy into chemical energy in plant cells.";

    private static final ManualClock CLOCK = new ManualClock();
    private static final RouterUnderTest ROUTER = RouterUnderTest.start(experts(), routing(), CLOCK,
            "coe.health-check-interval=1h");

    private static String experts() {
        return """
                experts:
                  - id: flaky
                    provider: openai
                    base-url: %s
                    model: flaky-model
                    resilience:
                      circuit-breaker: {sliding-window-size: 4, minimum-calls: 4, failure-rate-threshold: 50, open-state-wait: 30s, half-open-calls: 1}
                      retry: {max-attempts: 1}
                  - id: retrier
                    provider: openai
                    base-url: %s
                    model: retrier-model
                    resilience:
                      retry: {max-attempts: 3, initial-backoff: 100ms, jitter: 0, max-retry-after: 10s}
                  - id: gpu
                    provider: openai
                    base-url: %s
                    model: gpu-model
                    resilience:
                      bulkhead: {max-concurrent-calls: 1, max-queue-wait: 0ms}
                  - id: hanger
                    provider: openai
                    base-url: %s
                    model: hanger-model
                    request-timeout: 20s
                    resilience:
                      first-token-timeout: 5s
                      retry: {max-attempts: 1}
                  - id: dropper
                    provider: openai
                    base-url: %s
                    model: dropper-model
                    resilience:
                      retry: {max-attempts: 2, initial-backoff: 100ms, jitter: 0}
                  - id: loaded
                    provider: openai
                    base-url: %s
                    model: loaded-model
                    load: {max-requests-waiting: 8, max-kv-cache-usage: 0.95, scrape-interval: 100ms}
                  - id: dripper
                    provider: openai
                    base-url: %s
                    model: dripper-model
                    request-timeout: 20s
                    resilience:
                      retry: {max-attempts: 1}
                  - id: backup
                    provider: openai
                    base-url: %s
                    model: backup-model
                """.formatted(FLAKY.baseUrl(), RETRIER.baseUrl(), GPU.baseUrl(), HANGER.baseUrl(), DROPPER.baseUrl(),
                LOADED.baseUrl(), DRIPPER.baseUrl(), BACKUP.baseUrl());
    }

    private static String routing() {
        return """
                router-models: [auto]
                fallback-chain: [backup]
                default-threshold: 0.0
                rules:
                  - {category: coding,     chain: [flaky, backup]}
                  - {category: math,       chain: [retrier, backup]}
                  - {category: writing,    chain: [gpu, backup]}
                  - {category: roleplay,   chain: [hanger, backup]}
                  - {category: humanities, chain: [dropper, backup]}
                  - {category: extraction, chain: [loaded, backup]}
                  - {category: stem,       chain: [dripper, backup]}
                  - {category: reasoning,  chain: [backup]}
                """;
    }

    @BeforeEach
    void resetStubs() {
        STUBS.forEach(OpenAiStubServer::reset);
    }

    @AfterAll
    static void stop() {
        ROUTER.close();
        STUBS.forEach(OpenAiStubServer::close);
    }

    // ---- the tests ----

    @Test
    void should_open_the_breaker_after_a_5xx_burst_move_traffic_on_and_close_it_after_a_good_probe() throws Exception {
        for (int i = 0; i < 4; i++) {
            FLAKY.failWithStatus(503);
        }
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = chat(CODING, false);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("x-coe-category")).contains("coding");
            assertThat(r.headers().firstValue("x-coe-attempts")).contains("flaky=server_error,backup=ok");
        }

        HttpResponse<String> whileOpen = chat(CODING, false);

        assertThat(whileOpen.headers().firstValue("x-coe-attempts")).contains("flaky=circuit_open,backup=ok");
        assertThat(whileOpen.headers().firstValue("x-coe-expert")).contains("backup");
        assertThat(FLAKY.chatRequests()).hasSize(4);
        assertThat(metric("resilience4j_circuitbreaker_state", "name", "flaky", "state", "open")).isEqualTo(1.0);
        assertThat(metric("coe_expert_errors_total", "expert", "flaky", "type", "server_error")).isEqualTo(4.0);
        assertThat(metric("coe_expert_errors_total", "expert", "flaky", "type", "circuit_open")).isEqualTo(1.0);
        assertThat(metric("coe_router_fallbacks_total", "category", "coding", "expert", "flaky", "outcome", "circuit_open")).isEqualTo(1.0);

        // The expert heals; after the open-state wait one probe goes through and closes the breaker.
        CLOCK.advance(Duration.ofSeconds(31));
        FLAKY.replyText("healed");
        HttpResponse<String> probe = chat(CODING, false);

        assertThat(probe.headers().firstValue("x-coe-expert")).contains("flaky");
        assertThat(JSON.readTree(probe.body()).at("/choices/0/message/content").asText()).isEqualTo("healed");
        assertThat(metric("resilience4j_circuitbreaker_state", "name", "flaky", "state", "closed")).isEqualTo(1.0);
        assertThat(FLAKY.chatRequests()).hasSize(5);
    }

    @Test
    void should_wait_for_retry_after_then_answer_from_the_same_expert() throws Exception {
        int sleepsBefore = CLOCK.sleeps().size();
        RETRIER.failWithStatus(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}",
                Map.of("Retry-After", "2"));
        RETRIER.replyText("x = 5");

        HttpResponse<String> r = chat(MATH, false);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-coe-category")).contains("math");
        assertThat(r.headers().firstValue("x-coe-expert")).contains("retrier");
        assertThat(CLOCK.sleeps().subList(sleepsBefore, CLOCK.sleeps().size())).containsExactly(Duration.ofSeconds(2));
        assertThat(RETRIER.chatRequests()).hasSize(2);
        assertThat(BACKUP.chatRequests()).isEmpty();
        assertThat(metric("coe_expert_retries_total", "expert", "retrier", "type", "rate_limited")).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void should_answer_429_with_retry_after_when_every_expert_is_rate_limited() throws Exception {
        for (int i = 0; i < 3; i++) {
            RETRIER.failWithStatus(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("Retry-After", "30"));
        }
        BACKUP.failWithStatus(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("Retry-After", "45"));

        HttpResponse<String> r = chat(MATH, false);

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after")).contains("30");
        assertThat(error(r).path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(RETRIER.chatRequests()).hasSize(1);
        assertThat(BACKUP.chatRequests()).hasSize(1);
    }

    @Test
    void should_move_a_stream_to_the_next_expert_when_the_first_token_is_late() throws Exception {
        HANGER.hang();
        BACKUP.replyText("Arr, me hearties!");
        CompletableFuture<HttpResponse<String>> pending = chatAsync(ROLEPLAY, true);
        await(() -> HANGER.chatRequests().size() == 1);

        CLOCK.advance(Duration.ofSeconds(5));
        HttpResponse<String> r = pending.get();

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-coe-category")).contains("roleplay");
        assertThat(r.headers().firstValue("x-coe-attempts")).contains("hanger=timeout,backup=ok");
        assertThat(StreamedText.of(r.body())).isEqualTo("Arr, me hearties!");
        assertThat(r.body()).endsWith("data: [DONE]\n\n");
        assertThat(metric("coe_expert_errors_total", "expert", "hanger", "type", "timeout")).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void should_move_on_when_a_one_piece_answer_exceeds_the_total_timeout() throws Exception {
        HANGER.hang();
        CompletableFuture<HttpResponse<String>> pending = chatAsync(ROLEPLAY, false);
        await(() -> HANGER.chatRequests().size() == 1);

        CLOCK.advance(Duration.ofSeconds(20));
        HttpResponse<String> r = pending.get();

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-coe-attempts")).contains("hanger=timeout,backup=ok");
    }

    @Test
    void should_answer_504_when_the_request_deadline_passes_across_the_whole_chain() throws Exception {
        HANGER.hang();
        BACKUP.hang();
        CompletableFuture<HttpResponse<String>> pending = chatAsync(ROLEPLAY, false);
        await(() -> HANGER.chatRequests().size() == 1);
        CLOCK.advance(Duration.ofSeconds(20));
        await(() -> BACKUP.chatRequests().size() == 1);

        // coe.request-deadline is 300 s: backup's own 120 s timeout fires first, then nothing is left to try.
        CLOCK.advance(Duration.ofSeconds(120));
        HttpResponse<String> r = pending.get();

        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(error(r).path("code").asText()).isEqualTo("upstream_timeout");
        assertThat(error(r).path("message").asText()).contains("category 'roleplay'", "hanger", "backup");
        assertThat(r.headers().firstValue("x-coe-category")).contains("roleplay");
        assertThat(r.headers().firstValue("x-coe-attempts")).contains("hanger=timeout,backup=timeout");
    }

    @Test
    void should_end_the_stream_with_an_error_event_and_not_retry_when_the_connection_drops_after_the_first_byte() throws Exception {
        DROPPER.replyText("The causes were fiscal crisis, Enlightenment ideas and inequality.").dropConnectionAfterChunks(2);

        HttpResponse<String> r = chat(HUMANITIES, true);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-coe-category")).contains("humanities");
        assertThat(r.body()).contains("\"expert_stream_failed\"").doesNotContain("[DONE]");
        assertThat(DROPPER.chatRequests()).hasSize(1);
        assertThat(BACKUP.chatRequests()).isEmpty();
        assertThat(metric("coe_expert_errors_total", "expert", "dropper", "type", "connection_dropped")).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void should_send_the_next_request_to_the_next_expert_while_the_bulkhead_is_full() throws Exception {
        GPU.hang();
        CompletableFuture<HttpResponse<String>> first = chatAsync(WRITING, true);
        await(() -> GPU.chatRequests().size() == 1);

        HttpResponse<String> second = chat(WRITING, false);

        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("x-coe-category")).contains("writing");
        assertThat(second.headers().firstValue("x-coe-attempts")).contains("gpu=bulkhead_full,backup=ok");
        assertThat(metric("coe_expert_errors_total", "expert", "gpu", "type", "bulkhead_full")).isGreaterThanOrEqualTo(1.0);
        assertThat(metric("resilience4j_bulkhead_available_concurrent_calls", "name", "gpu")).isZero();

        // The held call gives up at its first-token timeout and moves on too; its slot is free again.
        CLOCK.advance(Duration.ofSeconds(30));
        assertThat(first.get().headers().firstValue("x-coe-attempts")).contains("gpu=timeout,backup=ok");
        await(() -> callsInFlight("gpu") == 0);
    }

    @Test
    void should_retry_the_same_expert_when_the_connection_resets_before_the_first_byte() throws Exception {
        DROPPER.replyText("never sent").resetBeforeFirstByte();
        DROPPER.replyText("Fiscal crisis, ideas and inequality.");
        double retriesBefore = metric("coe_expert_retries_total", "expert", "dropper", "type", "connection_dropped");

        CompletableFuture<HttpResponse<String>> pending = chatAsync(HUMANITIES, true);
        await(() -> retries("dropper", "connection_dropped") > retriesBefore);
        CLOCK.advance(Duration.ofMillis(100));
        HttpResponse<String> r = pending.get();

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-coe-expert")).contains("dropper");
        assertThat(StreamedText.of(r.body())).isEqualTo("Fiscal crisis, ideas and inequality.");
        assertThat(DROPPER.chatRequests()).hasSize(2);
        assertThat(metric("coe_expert_retries_total", "expert", "dropper", "type", "connection_dropped")).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void should_move_on_when_the_expert_sends_malformed_json() throws Exception {
        HANGER.replyMalformedJson();
        BACKUP.replyText("Ahoy!");

        HttpResponse<String> r = chat(ROLEPLAY, false);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-coe-attempts")).contains("hanger=server_error,backup=ok");
        assertThat(JSON.readTree(r.body()).at("/choices/0/message/content").asText()).isEqualTo("Ahoy!");
        assertThat(metric("coe_expert_errors_total", "expert", "hanger", "type", "server_error")).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void should_end_a_slow_drip_stream_with_an_error_event_at_the_total_timeout() throws Exception {
        DRIPPER.replyText("Light is absorbed by chlorophyll in the thylakoid membranes and drives the production of ATP and NADPH "
                + "which the Calvin cycle then uses to fix carbon dioxide into sugars that the plant stores").dripChunks(Duration.ofMillis(200));
        CompletableFuture<HttpResponse<String>> pending = chatAsync(STEM, true);
        await(() -> firstTokens("dripper") >= 1);

        CLOCK.advance(Duration.ofSeconds(20));
        HttpResponse<String> r = pending.get();

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-coe-category")).contains("stem");
        assertThat(r.body()).contains("stream not finished within 20000 ms").contains("\"expert_stream_failed\"").doesNotContain("[DONE]");
        assertThat(BACKUP.chatRequests()).isEmpty();
        assertThat(metric("coe_expert_errors_total", "expert", "dripper", "type", "timeout")).isEqualTo(1.0);
    }

    @Test
    void should_skip_a_local_engine_while_its_queue_is_over_the_limit_and_use_it_again_after() throws Exception {
        LOADED.metric("vllm:num_requests_waiting", 12);
        await(() -> attempts(EXTRACTION).startsWith("loaded=overloaded,backup=ok"));

        LOADED.metric("vllm:num_requests_waiting", 2);
        await(() -> attempts(EXTRACTION).equals("loaded=ok"));

        assertThat(metric("coe_expert_errors_total", "expert", "loaded", "type", "overloaded")).isGreaterThanOrEqualTo(1.0);
        assertThat(LOADED.metricsScrapes()).isGreaterThanOrEqualTo(2);
    }

    // ---- helpers ----

    private static String attempts(String prompt) {
        try {
            HttpResponse<String> r = chat(prompt, false);
            assertThat(r.headers().firstValue("x-coe-category")).contains("extraction");
            return r.headers().firstValue("x-coe-attempts").orElse("");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double retries(String expert, String type) {
        try {
            return metric("coe_expert_retries_total", "expert", expert, "type", type);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double firstTokens(String expert) {
        try {
            return metric("coe_expert_first_token_seconds_count", "expert", expert);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest request(String prompt, boolean stream) {
        String body = "{\"model\":\"auto\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":"
                + JSON.valueToTree(prompt) + "}]}";
        return HttpRequest.newBuilder(URI.create(ROUTER.baseUrl() + "/v1/chat/completions"))
                .timeout(CLIENT_TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> chat(String prompt, boolean stream) throws IOException, InterruptedException {
        return http.send(request(prompt, stream), HttpResponse.BodyHandlers.ofString());
    }

    private static CompletableFuture<HttpResponse<String>> chatAsync(String prompt, boolean stream) {
        return http.sendAsync(request(prompt, stream), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode error(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body()).path("error");
    }


    static double metric(String name, String... labels) throws IOException, InterruptedException {
        return PrometheusScrape.value(ROUTER, name, labels);
    }

    private static double callsInFlight(String expert) {
        try {
            return metric("resilience4j_bulkhead_max_allowed_concurrent_calls", "name", expert)
                    - metric("resilience4j_bulkhead_available_concurrent_calls", "name", expert);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition) {
        long until = System.nanoTime() + CLIENT_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not met within " + CLIENT_TIMEOUT);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
