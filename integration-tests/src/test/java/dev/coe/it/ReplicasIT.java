package dev.coe.it;

import dev.coe.gateway.stub.OpenAiStubServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two router replicas sharing the local PostgreSQL (127.0.0.1:5432, database {@code test}, a schema of their own) and
 * Redis (127.0.0.1:6379, keys and channel under a prefix of their own): a routing change applied on one routes the
 * next request on the other within a second, and an answer paid for on one is a cache hit on the other. The database
 * poll is set to an hour, so what carries the change here is the Redis notice alone.
 */
class ReplicasIT {

    private static final String CODING_PROMPT = "Write a Python function that reverses a linked list, with unit tests.";
    private static final OpenAiStubServer PRIMARY = new OpenAiStubServer();
    private static final OpenAiStubServer SECONDARY = new OpenAiStubServer();
    private static final String ID = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private static final PostgresSchema SCHEMA = PostgresSchema.fresh("replicas");
    /** The Redis every development and CI machine runs; override with -Dcoe.it.redis-url. */
    static final String REDIS_URL = System.getProperty("coe.it.redis-url", "redis://127.0.0.1:6379");

    private static RouterUnderTest first;
    private static RouterUnderTest second;
    private static AdminClient adminOfFirst;
    private static AdminClient adminOfSecond;

    @BeforeAll
    static void start() {
        String experts = """
                experts:
                  - {id: primary,   provider: openai, base-url: %s, model: stub-a}
                  - {id: secondary, provider: openai, base-url: %s, model: stub-b}
                """.formatted(PRIMARY.baseUrl(), SECONDARY.baseUrl());
        String routing = """
                router-models: [auto]
                fallback-chain: [primary]
                default-threshold: 0.0
                rules:
                  - {category: coding, chain: [primary]}
                """;
        String[] properties = RouterUnderTest.with(SCHEMA.routerProperties(), AdminClient.routerProperties(
                "coe.shared.redis-url=" + REDIS_URL, "coe.shared.redis-prefix=coe-it-" + ID,
                "coe.shared.poll-interval=1h"));
        first = RouterUnderTest.start(experts, routing, properties);
        second = RouterUnderTest.start(experts, routing, properties);
        adminOfFirst = AdminClient.of(first);
        adminOfSecond = AdminClient.of(second);
    }

    @AfterAll
    static void stop() throws SQLException {
        second.close();
        first.close();
        PRIMARY.close();
        SECONDARY.close();
        SCHEMA.close();
    }

    @BeforeEach
    void resetStubs() {
        PRIMARY.reset();
        SECONDARY.reset();
    }

    @Test
    void should_route_the_next_request_on_the_other_replica_by_a_rule_changed_on_one_within_a_second() {
        assertThat(adminOfSecond.chat(CODING_PROMPT).header("x-coe-expert")).isEqualTo("primary");

        AdminClient.Answer changed = adminOfFirst.put("/admin/api/rules/coding", adminOfFirst.etag(),
                Map.of("chain", List.of("secondary"), "comment", "move coding"));
        long appliedAt = System.nanoTime();
        assertThat(changed.status()).isEqualTo(200);

        // Real requests, answered by the stubs: the other replica's live table, not the shared store, decides.
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> "secondary".equals(adminOfSecond.chat(CODING_PROMPT).header("x-coe-expert")));
        long millis = (System.nanoTime() - appliedAt) / 1_000_000;
        System.out.println("ReplicasIT: rule change reached the other replica in " + millis + " ms");

        // and back, the other way round
        adminOfSecond.put("/admin/api/rules/coding", adminOfSecond.etag(), Map.of("chain", List.of("primary")));
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> "primary".equals(adminOfFirst.chat(CODING_PROMPT).header("x-coe-expert")));
    }

    @Test
    void should_answer_from_the_shared_cache_on_one_replica_what_the_other_paid_for() throws Exception {
        PRIMARY.replyText("def reverse(head): ...");
        String prompt = CODING_PROMPT + " (" + UUID.randomUUID() + ")";
        Map<String, Object> body = Map.of("model", "primary", "temperature", 0,
                "messages", List.of(Map.of("role", "user", "content", prompt)));

        AdminClient.Answer onFirst = adminOfFirst.post("/v1/chat/completions", null, body);
        AdminClient.Answer onSecond = adminOfSecond.post("/v1/chat/completions", null, body);

        assertThat(onFirst.header("x-coe-cache")).isEqualTo("miss");
        assertThat(onSecond.status()).isEqualTo(200);
        assertThat(onSecond.header("x-coe-cache")).isEqualTo("hit");
        assertThat(onSecond.json().path("choices").get(0).path("message").path("content").asText()).isEqualTo("def reverse(head): ...");
        assertThat(PRIMARY.chatRequests()).hasSize(1);
        assertThat(PrometheusScrape.value(second, "cache_shared_gets_total", "cache", "coe.responses", "result", "hit"))
                .isGreaterThanOrEqualTo(1.0);
    }

}
