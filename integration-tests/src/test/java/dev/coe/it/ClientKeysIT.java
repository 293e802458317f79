package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coe.gateway.stub.OpenAiStubServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Client API keys on {@code /v1/**}, over real HTTP, with keys required: 401 without or with a bad key, 403 for a
 * model or category the key may not use, 429 over its requests or tokens per minute (with Retry-After and OpenAI's
 * x-ratelimit headers) or its token budget, revocation — and two router replicas sharing one PostgreSQL
 * (127.0.0.1:5432, database {@code test}, a schema of its own dropped at the end): a key created on one works on the
 * other, usage charged on one counts on the other, a revocation on one reaches the other at once (a Redis notice on
 * 127.0.0.1:6379; the 3 s refresh is only the safety net), and a key's requests and tokens per minute are counted
 * once across both (buckets in that Redis).
 */
class ClientKeysIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String CODING_PROMPT = "Write a Python function that reverses a linked list, with unit tests.";
    private static final String WRITING_PROMPT = "Write a short poem about autumn leaves falling in a quiet park.";
    private static final OpenAiStubServer STUB = new OpenAiStubServer();
    private static final PostgresSchema SCHEMA = PostgresSchema.fresh("keys");
    private static final String BROWSER_APP = "https://chat.app.example";

    private static RouterUnderTest first;
    private static RouterUnderTest second;
    private static AdminClient admin;

    @BeforeAll
    static void start() {
        String experts = """
                experts:
                  - {id: primary, provider: openai, base-url: %s, model: stub-a}
                """.formatted(STUB.baseUrl());
        String routing = """
                router-models: [auto]
                fallback-chain: [primary]
                default-threshold: 0.0
                rules:
                  - {category: coding, chain: [primary]}
                """;
        String[] properties = RouterUnderTest.with(SCHEMA.routerProperties(), AdminClient.routerProperties(
                "coe.api-keys.required=true", "coe.api-keys.refresh-interval=3s", "coe.cache-max-size=0",
                "coe.cors.allowed-origins=" + BROWSER_APP,
                "coe.shared.redis-url=" + ReplicasIT.REDIS_URL, "coe.shared.redis-prefix=" + SCHEMA.name()));
        first = RouterUnderTest.start(experts, routing, properties);
        second = RouterUnderTest.start(experts, routing, properties);
        admin = AdminClient.of(first);
    }

    @AfterAll
    static void stop() throws SQLException {
        second.close();
        first.close();
        STUB.close();
        SCHEMA.close();
    }

    @BeforeEach
    void resetStub() {
        STUB.reset();
    }

    @Test
    void should_answer_401_in_openai_shape_when_the_key_is_missing_or_unknown() throws Exception {
        HttpResponse<String> missing = chat(first, null, "auto", CODING_PROMPT);
        HttpResponse<String> unknown = chat(first, "sk-coe-not-a-real-key-0123456789", "auto", CODING_PROMPT);
        HttpResponse<String> basic = send(first, "Basic b3BlcmF0b3I6eA==", "auto", CODING_PROMPT);

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(error(missing).path("code").asText()).isEqualTo("missing_api_key");
        assertThat(error(missing).path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(missing.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(error(unknown).path("code").asText()).isEqualTo("invalid_api_key");
        assertThat(unknown.body()).doesNotContain("not-a-real-key");
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(chatModels(first, null).statusCode()).isEqualTo(401);
        // refused before the chat controller runs, still with an id to quote to an operator
        assertThat(missing.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req-"));
        assertThat(unknown.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req-"));
        assertThat(STUB.chatRequests()).isEmpty();
    }

    @Test
    void should_let_a_listed_browser_page_call_with_its_key_after_a_preflight_without_one() throws Exception {
        String key = create(Map.of("name", "browser-app"));
        // when: the browser asks first, without the key, as browsers do
        HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(first.baseUrl() + "/v1/chat/completions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", BROWSER_APP)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,x-stainless-lang").build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> answer = fromPage(BROWSER_APP, key);
        HttpResponse<String> keyless = fromPage(BROWSER_APP, null);
        HttpResponse<String> stranger = fromPage("https://elsewhere.example", key);
        // then: the preflight passes without a key, and the page can read the answer and its routing headers
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains(BROWSER_APP);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("")).contains("authorization");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).contains(BROWSER_APP);
        assertThat(answer.headers().firstValue("Access-Control-Expose-Headers")).contains("*");
        assertThat(answer.headers().firstValue("x-coe-expert")).contains("primary");
        // a page without a key still needs one, and can read why
        assertThat(keyless.statusCode()).isEqualTo(401);
        assertThat(keyless.headers().firstValue("Access-Control-Allow-Origin")).contains(BROWSER_APP);
        // a page on an origin not listed is refused in OpenAI's shape, before any expert is called
        assertThat(stranger.statusCode()).isEqualTo(403);
        assertThat(error(stranger).path("code").asText()).isEqualTo("cors_not_allowed");
        assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(stranger.headers().firstValue("x-request-id")).isPresent();
        assertThat(STUB.chatRequests()).hasSize(1);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void should_show_a_new_key_once_and_store_only_its_hash_and_never_log_it(CapturedOutput logs) throws Exception {
        AdminClient.Answer created = admin.post("/admin/api/keys", null, Map.of("name", "team-a"));
        String key = created.json().path("key").asText();

        assertThat(created.status()).isEqualTo(201);
        assertThat(key).startsWith("sk-coe-").hasSizeGreaterThan(40);
        String id = created.json().path("details").path("id").asText();
        assertThat(admin.get("/admin/api/keys/" + id).body()).doesNotContain(key).contains("\"status\":\"active\"");
        assertThat(admin.get("/admin/api/keys").body()).doesNotContain(key);
        try (Connection c = SCHEMA.connect()) {
            var rs = c.createStatement().executeQuery("SELECT * FROM " + SCHEMA.name() + ".coe_client_key WHERE key_id = '" + id + "'");
            assertThat(rs.next()).isTrue();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                assertThat(String.valueOf(rs.getObject(i))).doesNotContain(key.substring(10));
            }
        }
        assertThat(chat(first, key, "auto", CODING_PROMPT).statusCode()).isEqualTo(200);
        assertThat(admin.delete("/admin/api/keys/" + id, null).status()).isEqualTo(200);
        assertThat(chat(first, key, "auto", CODING_PROMPT).statusCode()).isEqualTo(401);
        // Creation, use, revocation and refusal are all logged (by id), the key never.
        assertThat(logs.getAll()).contains(id).doesNotContain(key).doesNotContain(key.substring(10));
    }

    @Test
    void should_refuse_a_key_definition_with_422_problem_details_when_it_is_invalid() {
        AdminClient.Answer answer = admin.post("/admin/api/keys", null, Map.of("name", "", "allowedModels", List.of("gpt-17"),
                "allowedCategories", List.of("gardening"), "requestsPerMinute", 0));
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.errorCodes()).contains("required", "unknown_model", "unknown_category", "out_of_range");
    }

    @Test
    void should_answer_403_when_the_key_may_not_use_the_model_or_the_category() throws Exception {
        String key = create(Map.of("name", "coding-only", "allowedModels", List.of("auto"), "allowedCategories", List.of("coding")));

        HttpResponse<String> direct = chat(first, key, "primary", CODING_PROMPT);
        HttpResponse<String> writing = chat(first, key, "auto", WRITING_PROMPT);
        HttpResponse<String> coding = chat(first, key, "auto", CODING_PROMPT);

        assertThat(direct.statusCode()).isEqualTo(403);
        assertThat(error(direct).path("code").asText()).isEqualTo("model_not_allowed");
        assertThat(error(direct).path("type").asText()).isEqualTo("permission_error");
        assertThat(writing.statusCode()).isEqualTo(403);
        assertThat(error(writing).path("code").asText()).isEqualTo("category_not_allowed");
        assertThat(coding.statusCode()).isEqualTo(200);
        assertThat(STUB.chatRequests()).hasSize(1);
    }

    @Test
    void should_answer_429_with_retry_after_when_the_key_is_over_its_request_rate() throws Exception {
        String key = create(Map.of("name", "slow-client", "requestsPerMinute", 2));

        HttpResponse<String> admitted = chat(first, key, "auto", CODING_PROMPT);
        assertThat(chat(first, key, "auto", CODING_PROMPT).statusCode()).isEqualTo(200);
        HttpResponse<String> third = chat(first, key, "auto", CODING_PROMPT);

        assertThat(admitted.statusCode()).isEqualTo(200);
        // OpenAI's headers: the allowance refills one request every 30 s, so one used leaves it 30 s short of full
        assertThat(admitted.headers().firstValue("x-ratelimit-limit-requests")).contains("2");
        assertThat(admitted.headers().firstValue("x-ratelimit-remaining-requests")).contains("1");
        assertThat(admitted.headers().firstValue("x-ratelimit-reset-requests").orElseThrow()).matches("(29\\.\\d+|30)s");
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(error(third).path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow())).isBetween(29L, 30L);
        assertThat(third.headers().allValues("x-ratelimit-remaining-requests")).containsExactly("0");
        assertThat(third.headers().firstValue("x-request-id")).isPresent();
        assertThat(STUB.chatRequests()).hasSize(2);
        // a key without a request rate limit gets no rate headers
        HttpResponse<String> unlimited = chat(first, create(Map.of("name", "unlimited")), "auto", CODING_PROMPT);
        assertThat(unlimited.statusCode()).isEqualTo(200);
        assertThat(unlimited.headers().firstValue("x-ratelimit-limit-requests")).isEmpty();
    }

    @Test
    void should_count_a_keys_request_rate_across_replicas_through_redis() throws Exception {
        String key = create(Map.of("name", "busy-client", "requestsPerMinute", 3));
        // the second replica hears of the key through Redis; its first 200 takes one request of the three
        await().atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20))
                .until(() -> chatModels(second, key).statusCode() == 200);

        HttpResponse<String> onFirst = chat(first, key, "auto", CODING_PROMPT);
        HttpResponse<String> onSecond = chat(second, key, "auto", CODING_PROMPT);
        HttpResponse<String> overOnFirst = chat(first, key, "auto", CODING_PROMPT);

        assertThat(onFirst.statusCode()).isEqualTo(200);
        assertThat(onFirst.headers().firstValue("x-ratelimit-remaining-requests")).contains("1");
        assertThat(onSecond.statusCode()).isEqualTo(200);
        assertThat(onSecond.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
        // counted per replica, the first would still have two of its own three left
        assertThat(overOnFirst.statusCode()).isEqualTo(429);
        assertThat(error(overOnFirst).path("code").asText()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void should_count_a_keys_tokens_per_minute_across_replicas_and_refuse_once_an_answer_used_them_up() throws Exception {
        String key = create(Map.of("name", "token-heavy", "tokensPerMinute", 30));
        await().atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20))
                .until(() -> chatModels(second, key).statusCode() == 200);
        STUB.replyText("def reverse(head): ...").usage(20, 5);

        HttpResponse<String> onFirst = chat(first, key, "auto", CODING_PROMPT);
        HttpResponse<String> onSecond = chat(second, key, "auto", CODING_PROMPT);
        HttpResponse<String> over = chat(first, key, "auto", CODING_PROMPT);

        // admitted while any tokens are left: 30, then 5 after the first answer's 25 (charged before it ended)
        assertThat(onFirst.statusCode()).isEqualTo(200);
        assertThat(onFirst.headers().firstValue("x-ratelimit-limit-tokens")).contains("30");
        assertThat(onFirst.headers().firstValue("x-ratelimit-remaining-tokens")).contains("30");
        assertThat(onSecond.statusCode()).isEqualTo(200);
        assertThat(Long.parseLong(onSecond.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow())).isBetween(5L, 6L);
        // the second answer put the key 20 below zero: a minute refills 30, so 21 take about 42 s
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(error(over).path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(error(over).path("message").asText()).contains("30 tokens per minute");
        assertThat(Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow())).isBetween(40L, 42L);
        assertThat(over.headers().firstValue("x-ratelimit-remaining-tokens")).contains("0");
        assertThat(STUB.chatRequests()).hasSize(2);
    }

    @Test
    void should_change_a_keys_limits_while_its_secret_stays_and_refuse_a_misspelt_or_wrong_field() throws Exception {
        String key = create(Map.of("name", "growing-team", "requestsPerMinute", 1));
        String id = idOf("growing-team");
        assertThat(chat(first, key, "auto", CODING_PROMPT).statusCode()).isEqualTo(200);
        assertThat(chat(first, key, "auto", CODING_PROMPT).statusCode()).isEqualTo(429);

        // when the operator raises its limit
        AdminClient.Answer raised = admin.patch("/admin/api/keys/" + id, Map.of("requestsPerMinute", 3));

        // then the same secret is served again, on both replicas, under the new limit
        assertThat(raised.status()).as(raised.body()).isEqualTo(200);
        assertThat(raised.json().path("requestsPerMinute").asInt()).isEqualTo(3);
        assertThat(raised.json().path("name").asText()).isEqualTo("growing-team");
        HttpResponse<String> again = chat(first, key, "auto", CODING_PROMPT);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("x-ratelimit-limit-requests")).contains("3");
        await().atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20)).until(() ->
                chat(second, key, "auto", CODING_PROMPT).headers().firstValue("x-ratelimit-limit-requests").orElse("").equals("3"));
        // a null removes the limit; the fields not sent stay
        AdminClient.Answer unlimited = admin.patch("/admin/api/keys/" + id, "{\"requestsPerMinute\": null, \"tokenBudget\": 1000}");
        assertThat(unlimited.status()).as(unlimited.body()).isEqualTo(200);
        assertThat(unlimited.json().path("requestsPerMinute").isNull()).isTrue();
        assertThat(unlimited.json().path("tokenBudget").asLong()).isEqualTo(1000);
        HttpResponse<String> free = chat(first, key, "auto", CODING_PROMPT);
        assertThat(free.statusCode()).isEqualTo(200);
        assertThat(free.headers().firstValue("x-ratelimit-limit-requests")).isEmpty();

        // a misspelt field is refused, never dropped (it would leave the key without the limit meant)
        AdminClient.Answer misspelt = admin.patch("/admin/api/keys/" + id, Map.of("requestPerMinute", 5));
        assertThat(misspelt.status()).isEqualTo(422);
        assertThat(misspelt.json().path("errors").get(0).path("message").asText())
                .contains("unknown field 'requestPerMinute'", "requestsPerMinute");
        AdminClient.Answer misspeltAtCreate = admin.post("/admin/api/keys", null, Map.of("name", "typo", "tokenPerMinute", 5));
        assertThat(misspeltAtCreate.status()).isEqualTo(422);
        AdminClient.Answer wrongType = admin.patch("/admin/api/keys/" + id, Map.of("tokensPerMinute", "lots"));
        assertThat(wrongType.status()).isEqualTo(422);
        assertThat(wrongType.json().path("errors").get(0).path("field").asText()).isEqualTo("tokensPerMinute");
        assertThat(admin.patch("/admin/api/keys/" + id, Map.of("tokenBudget", 0)).errorCodes()).containsExactly("out_of_range");
        assertThat(admin.patch("/admin/api/keys/" + id, "[1]").status()).isEqualTo(422);
        assertThat(admin.patch("/admin/api/keys/key_000000000000", Map.of("name", "x")).status()).isEqualTo(404);
        // and a revoked key stays as it was
        admin.delete("/admin/api/keys/" + id, null);
        AdminClient.Answer revoked = admin.patch("/admin/api/keys/" + id, Map.of("requestsPerMinute", 10));
        assertThat(revoked.status()).isEqualTo(409);
        assertThat(revoked.json().path("detail").asText()).contains("revoked");
    }

    @Test
    void should_refuse_a_key_once_it_expired_until_an_operator_gives_it_a_later_expiry() throws Exception {
        Instant soon = Instant.now().plusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
        String key = create(Map.of("name", "short-lived", "expiresAt", soon.toString()));
        String id = idOf("short-lived");
        assertThat(chat(first, key, "auto", CODING_PROMPT).statusCode()).isEqualTo(200);

        await().atMost(5, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100))
                .until(() -> chat(first, key, "auto", CODING_PROMPT).statusCode() == 401);
        HttpResponse<String> expired = chat(first, key, "auto", CODING_PROMPT);
        assertThat(error(expired).path("code").asText()).isEqualTo("invalid_api_key");
        assertThat(error(expired).path("message").asText()).contains("expired at " + soon);
        assertThat(admin.get("/admin/api/keys/" + id).json().path("status").asText()).isEqualTo("expired");
        // renaming it neither revives it nor is refused for its past expiry
        AdminClient.Answer renamed = admin.patch("/admin/api/keys/" + id, Map.of("name", "short-lived (old)"));
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(renamed.json().path("status").asText()).isEqualTo("expired");

        AdminClient.Answer extended = admin.patch("/admin/api/keys/" + id, Map.of("expiresAt", Instant.now().plusSeconds(3600).toString()));
        assertThat(extended.status()).as(extended.body()).isEqualTo(200);
        assertThat(extended.json().path("status").asText()).isEqualTo("active");
        assertThat(chat(first, key, "auto", CODING_PROMPT).statusCode()).isEqualTo(200);
        // an expiry already past is refused: revoking is how a key is stopped now
        AdminClient.Answer past = admin.post("/admin/api/keys", null, Map.of("name", "stale", "expiresAt", "2020-01-01T00:00:00Z"));
        assertThat(past.errorCodes()).containsExactly("in_the_past");
    }

    @Test
    void should_share_keys_usage_and_revocation_between_replicas_through_the_database() throws Exception {
        // given a key with a budget of 30 tokens, created on the first replica, and answers that cost 25 tokens
        String key = create(Map.of("name", "budgeted", "tokenBudget", 30));
        String id = admin.get("/admin/api/keys").json().findValues("id").getLast().asText();
        STUB.replyText("def reverse(head): ...").usage(20, 5);
        // when the second replica serves it (told of the new key through Redis)
        await().atMost(5, TimeUnit.SECONDS).until(() -> chat(second, key, "auto", CODING_PROMPT).statusCode() == 200);
        // then its usage reaches the first replica, which serves one more (25 < 30) and then refuses (50 >= 30)
        // (usage is saved and reloaded every refresh interval, 3 s here)
        await().atMost(10, TimeUnit.SECONDS).until(() -> admin.get("/admin/api/keys/" + id).json().path("tokensUsed").asLong() == 25);
        assertThat(chat(first, key, "auto", CODING_PROMPT).statusCode()).isEqualTo(200);
        HttpResponse<String> over = chat(first, key, "auto", CODING_PROMPT);
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(error(over).path("code").asText()).isEqualTo("insufficient_quota");
        assertThat(admin.get("/admin/api/keys/" + id).json().path("status").asText()).isEqualTo("exhausted");

        // and a key revoked on the first replica stops working on both
        String other = create(Map.of("name", "to-revoke"));
        String otherId = admin.get("/admin/api/keys").json().findValues("id").getLast().asText();
        await().atMost(5, TimeUnit.SECONDS).until(() -> chat(second, other, "auto", CODING_PROMPT).statusCode() == 200);
        assertThat(admin.delete("/admin/api/keys/" + otherId, null).json().path("status").asText()).isEqualTo("revoked");
        assertThat(chat(first, other, "auto", CODING_PROMPT).statusCode()).isEqualTo(401);
        // at once on the other: the Redis notice, not the 3 s refresh, carries it
        await().atMost(1, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20))
                .until(() -> chat(second, other, "auto", CODING_PROMPT).statusCode() == 401);
    }

    private static String idOf(String name) {
        for (JsonNode k : admin.get("/admin/api/keys").json()) {
            if (k.path("name").asText().equals(name)) {
                return k.path("id").asText();
            }
        }
        throw new AssertionError("no key named " + name);
    }

    private static String create(Map<String, Object> spec) {
        AdminClient.Answer created = admin.post("/admin/api/keys", null, spec);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("key").asText();
    }

    private static HttpResponse<String> chat(RouterUnderTest router, String key, String model, String prompt) throws IOException, InterruptedException {
        return send(router, key == null ? null : "Bearer " + key, model, prompt);
    }

    private static HttpResponse<String> send(RouterUnderTest router, String authorization, String model, String prompt)
            throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", prompt))));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(router.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> fromPage(String origin, String key) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("model", "auto", "messages", List.of(Map.of("role", "user", "content", CODING_PROMPT))));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(first.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> chatModels(RouterUnderTest router, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(router.baseUrl() + "/v1/models")).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode error(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).path("error");
    }
}
