package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coe.gateway.stub.OpenAiStubServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A router whose classifier has more work than it can start in time answers from the fallback chain, unclassified,
 * and says so; a client key limited to categories gets a 503 with Retry-After instead, since its limit cannot be
 * checked. Overload is made certain rather than timed: {@code coe.classifier-max-wait=1ns} is shorter than any hand-off
 * to a classifier thread, so every classification is given up (the waits themselves are tested with a fake clock in
 * {@code OffCarrierClassifierTest}).
 */
class ClassifierOverloadIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String CODING_PROMPT = "Write a Python function that reverses a linked list, with unit tests.";
    private static final OpenAiStubServer STUB = new OpenAiStubServer();

    private static RouterUnderTest router;
    private static AdminClient admin;

    @BeforeAll
    static void start() {
        String experts = """
                experts:
                  - {id: coder, provider: openai, base-url: %s, model: stub-coder}
                  - {id: generalist, provider: openai, base-url: %s, model: stub-generalist}
                """.formatted(STUB.baseUrl(), STUB.baseUrl());
        String routing = """
                router-models: [auto]
                fallback-chain: [generalist]
                default-threshold: 0.0
                rules:
                  - {category: coding, chain: [coder]}
                """;
        router = RouterUnderTest.start(experts, routing, AdminClient.routerProperties("coe.api-keys.required=true",
                "coe.cache-max-size=0", "coe.classifier-max-wait=1ns"));
        admin = AdminClient.of(router);
    }

    @AfterAll
    static void stop() {
        router.close();
        STUB.close();
    }

    @BeforeEach
    void resetStub() {
        STUB.reset();
    }

    @Test
    void should_answer_from_the_fallback_chain_unclassified_when_the_classifier_is_too_busy() throws Exception {
        // given
        String key = create(Map.of("name", "any-category"));
        double before = PrometheusScrape.value(router, "coe_router_requests_total", "reason", "classifier_busy");

        // when
        HttpResponse<String> answer = chat(key, "auto");

        // then
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("x-coe-category")).contains("none");
        assertThat(answer.headers().firstValue("x-coe-expert")).contains("generalist");
        assertThat(answer.headers().firstValue("x-coe-route-reason")).contains("classifier_busy");
        JsonNode routing = JSON.readTree(answer.body()).path("routing");
        assertThat(routing.path("reason").asText()).isEqualTo("classifier_busy");
        assertThat(routing.path("confidence").asDouble()).isZero();
        assertThat(STUB.chatRequests()).singleElement().satisfies(r -> assertThat(r.json().path("model").asText()).isEqualTo("stub-generalist"));
        assertThat(PrometheusScrape.value(router, "coe_router_requests_total", "reason", "classifier_busy")).isEqualTo(before + 1);
    }

    @Test
    void should_answer_a_request_that_names_its_expert_as_usual_when_the_classifier_is_too_busy() throws Exception {
        String key = create(Map.of("name", "direct"));

        HttpResponse<String> answer = chat(key, "coder");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("x-coe-expert")).contains("coder");
        assertThat(answer.headers().firstValue("x-coe-route-reason")).contains("direct");
        assertThat(JSON.readTree(answer.body()).path("routing").path("reason").asText()).isEqualTo("direct");
    }

    @Test
    void should_answer_503_with_retry_after_when_a_key_limited_to_categories_cannot_be_classified() throws Exception {
        // given
        String key = create(Map.of("name", "coding-only", "allowedCategories", List.of("coding")));

        // when
        HttpResponse<String> answer = chat(key, "auto");

        // then: not answered outside the key's categories, and nothing was sent to an expert
        assertThat(answer.statusCode()).isEqualTo(503);
        JsonNode error = JSON.readTree(answer.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("classifier_busy");
        assertThat(error.path("message").asText()).contains("retry shortly");
        assertThat(answer.headers().firstValue("Retry-After")).contains("1");
        assertThat(STUB.chatRequests()).isEmpty();
    }

    @Test
    void should_answer_503_problem_details_on_explain_when_the_classifier_is_too_busy() {
        AdminClient.Answer answer = admin.post("/admin/api/explain", null, Map.of("prompt", CODING_PROMPT));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.body()).contains("urn:coe:problem:unavailable").contains("retry shortly");
    }

    private static String create(Map<String, Object> spec) {
        AdminClient.Answer created = admin.post("/admin/api/keys", null, spec);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("key").asText();
    }

    private static HttpResponse<String> chat(String key, String model) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", CODING_PROMPT))));
        return HTTP.send(HttpRequest.newBuilder(URI.create(router.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
