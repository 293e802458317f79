package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coe.gateway.stub.OpenAiStubServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /admin/api/live} of the real router over real HTTP, after real chat requests: the experts' breaker,
 * bulkhead and windowed figures, traffic per category and time bucket, and the recent decisions, whose prompts are
 * fingerprints only (the default). One router in front of a healthy stub and an expert nothing listens for.
 * <pre>
 *   broken  -> a closed port            first on the coding chain
 *   primary -> PRIMARY stub             second on the coding chain, and the fallback chain
 * </pre>
 */
class LiveViewIT {

    private static final String PROMPT = "Write a Python function that reverses a linked list, with unit tests.";
    private static final OpenAiStubServer PRIMARY = new OpenAiStubServer();
    private static final int CLOSED_PORT = closedPort();

    private static RouterUnderTest router;
    private static AdminClient admin;

    @BeforeAll
    static void start() {
        router = RouterUnderTest.start("""
                experts:
                  - {id: primary, provider: openai, base-url: %s, model: stub-a}
                  - {id: broken,  provider: openai, base-url: "http://127.0.0.1:%d/v1", model: stub-b}
                """.formatted(PRIMARY.baseUrl(), CLOSED_PORT), """
                router-models: [auto]
                fallback-chain: [primary]
                default-threshold: 0.0
                rules:
                  - {category: coding, chain: [broken, primary]}
                """, AdminClient.routerProperties());
        admin = AdminClient.of(router);
    }

    @AfterAll
    static void stop() {
        router.close();
        PRIMARY.close();
    }

    @Test
    void should_show_experts_categories_and_recent_decisions_when_requests_were_routed() {
        // given: three coding requests; the second and third are the same deterministic request, so the third is a cache hit
        PRIMARY.replyText("def reverse(head): ...");
        assertThat(admin.chat(PROMPT).status()).isEqualTo(200);
        Map<String, Object> deterministic = Map.of("model", "auto", "temperature", 0,
                "messages", List.of(Map.of("role", "user", "content", PROMPT)));
        assertThat(admin.post("/v1/chat/completions", null, deterministic).header("x-coe-cache")).isEqualTo("miss");
        AdminClient.Answer hit = admin.post("/v1/chat/completions", null, deterministic);
        assertThat(hit.header("x-coe-cache")).isEqualTo("hit");
        // when
        AdminClient.Answer answer = admin.get("/admin/api/live");
        // then
        assertThat(answer.status()).isEqualTo(200);
        JsonNode live = answer.json();
        assertThat(live.path("windowSeconds").asLong()).isEqualTo(300);
        assertThat(live.path("promptsLogged").asBoolean()).isFalse();

        JsonNode primary = expert(live, "primary");
        assertThat(primary.path("circuitState").asText()).isEqualTo("CLOSED");
        assertThat(primary.path("callsInFlight").asInt()).isZero();
        assertThat(primary.path("maxConcurrentCalls").asInt()).isPositive();
        assertThat(primary.path("window").path("calls").asLong()).isEqualTo(3);
        assertThat(primary.path("window").path("errors").asLong()).isZero();
        assertThat(primary.path("window").path("cacheHits").asLong()).isEqualTo(1);
        assertThat(primary.path("window").path("cacheMisses").asLong()).isEqualTo(1);
        assertThat(primary.path("window").path("cacheHitRate").asDouble()).isEqualTo(0.5);
        assertThat(primary.path("window").path("p50Millis").isNumber()).isTrue();
        assertThat(primary.path("window").path("p99Millis").asDouble())
                .isGreaterThanOrEqualTo(primary.path("window").path("p50Millis").asDouble());
        JsonNode broken = expert(live, "broken");
        assertThat(broken.path("window").path("errors").asLong()).isEqualTo(broken.path("window").path("calls").asLong()).isPositive();
        assertThat(broken.path("window").path("errorRate").asDouble()).isEqualTo(1.0);
        assertThat(live.path("cache").path("hits").asLong()).isEqualTo(1);

        JsonNode coding = live.path("categories").path("coding");
        assertThat(coding.path("requests").asLong()).isEqualTo(3);
        assertThat(coding.path("answeredBy").path("primary").asLong()).isEqualTo(3);
        assertThat(live.path("categories").path("math").path("requests").asLong()).isZero();
        long inTimeline = 0;
        for (JsonNode bucket : live.path("timeline")) {
            inTimeline += bucket.path("categories").path("coding").asLong();
        }
        assertThat(inTimeline).isEqualTo(3);
        assertThat(live.path("timeline")).hasSize(30);

        JsonNode last = live.path("recent").get(0);
        assertThat(last.path("requestId").asText()).isEqualTo(hit.header("x-request-id"));
        assertThat(last.path("model").asText()).isEqualTo("auto");
        assertThat(last.path("category").asText()).isEqualTo("coding");
        assertThat(last.path("confidence").asDouble()).isBetween(0.0, 1.0);
        assertThat(last.path("chain").toString()).isEqualTo("[\"broken\",\"primary\"]");
        assertThat(last.path("attempts").toString()).isEqualTo("[\"broken=unreachable\",\"primary=ok\"]");
        assertThat(last.path("expert").asText()).isEqualTo("primary");
        assertThat(last.path("status").asInt()).isEqualTo(200);
        assertThat(last.path("cache").asText()).isEqualTo("hit");
        assertThat(last.path("latencyMs").asDouble()).isPositive();
        assertThat(last.path("prompt").path("length").asInt()).isEqualTo(PROMPT.length());
        assertThat(last.path("prompt").path("sha256").asText()).hasSize(12);
        assertThat(last.path("prompt").path("text").isNull()).isTrue();
        assertThat(live.path("recent")).hasSize(3);
        // The prompt itself is nowhere in the answer.
        assertThat(answer.body()).doesNotContain("linked list");
    }

    @Test
    void should_answer_401_when_the_live_view_is_asked_without_credentials() {
        assertThat(AdminClient.anonymous(router).get("/admin/api/live").status()).isEqualTo(401);
    }

    private static int closedPort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode expert(JsonNode live, String id) {
        for (JsonNode e : live.path("experts")) {
            if (e.path("id").asText().equals(id)) {
                return e;
            }
        }
        throw new AssertionError("no expert " + id + " in " + live.path("experts"));
    }
}
