package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.stub.OpenAiStubServer;
import dev.coe.router.routing.RoutingTable;
import dev.coe.router.routing.RoutingTableLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin API of the real router over real HTTP: authentication, every validation error as a 422 problem detail,
 * optimistic concurrency (428, 409), versions, roll-back, drafts, explain, export, and a change applied while a
 * request is in flight. One router for the class, in front of two OpenAI-compatible stubs; each test starts from
 * whatever version is live and sets the parts it relies on.
 * <pre>
 *   primary   -> PRIMARY stub     the coding chain at start, and the fallback chain
 *   secondary -> SECONDARY stub   not referenced at start
 *   keyed     -> SECONDARY stub   api-key-env COE_IT_ANTHROPIC_KEY (set by failsafe), not referenced
 * </pre>
 */
class AdminApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CODING_PROMPT = "Write a Python function that reverses a linked list, with unit tests.";
    private static final OpenAiStubServer PRIMARY = new OpenAiStubServer();
    private static final OpenAiStubServer SECONDARY = new OpenAiStubServer();

    private static RouterUnderTest router;
    private static AdminClient admin;

    @BeforeAll
    static void start() {
        router = RouterUnderTest.start("""
                experts:
                  - {id: primary,   provider: openai, base-url: %s, model: stub-a}
                  - {id: secondary, provider: openai, base-url: %s, model: stub-b}
                  - {id: keyed,     provider: openai, base-url: %s, model: stub-c, api-key-env: COE_IT_ANTHROPIC_KEY}
                """.formatted(PRIMARY.baseUrl(), SECONDARY.baseUrl(), SECONDARY.baseUrl()), """
                router-models: [auto]
                fallback-chain: [primary]
                default-threshold: 0.0
                rules:
                  - {category: coding, chain: [primary]}
                """, AdminClient.routerProperties());
        admin = AdminClient.of(router);
    }

    @AfterAll
    static void stop() {
        router.close();
        PRIMARY.close();
        SECONDARY.close();
    }

    @BeforeEach
    void resetStubs() {
        PRIMARY.reset();
        SECONDARY.reset();
    }

    @Test
    void should_answer_401_problem_when_no_credentials_are_sent() {
        // when
        AdminClient.Answer answer = AdminClient.anonymous(router).get("/admin/api/config");
        // then
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.header("WWW-Authenticate")).startsWith("Basic");
        assertThat(answer.json().path("status").asInt()).isEqualTo(401);
    }

    @Test
    void should_answer_401_without_opening_a_session_when_an_anonymous_api_client_reads_or_writes() {
        // given an API client as curl and Python's libraries send it: any media type, no credentials, no cookie
        AdminClient anonymous = AdminClient.anonymous(router);

        // when
        AdminClient.Answer read = anonymous.get("/admin/api/config", Map.of("Accept", "*/*"));
        AdminClient.Answer write = anonymous.post("/admin/api/versions/1/rollback", "\"1\"", Map.of());

        // then both are refused for want of credentials, and neither leaves a session on the server
        assertThat(read.status()).isEqualTo(401);
        assertThat(write.status()).isEqualTo(401);
        assertThat(write.header("WWW-Authenticate")).startsWith("Basic");
        assertThat(read.header("Set-Cookie")).isNull();
        assertThat(write.header("Set-Cookie")).isNull();
    }

    @Test
    void should_remember_the_page_a_browser_asked_for_when_it_is_sent_to_log_in() {
        // when
        AdminClient.Answer answer = AdminClient.anonymous(router).get("/admin", Map.of("Accept", "text/html"));

        // then the session that remembers the page is the browser's, to come back to after the form
        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.header("Set-Cookie")).startsWith("JSESSIONID=");
    }

    @Test
    void should_answer_401_when_the_password_is_wrong() {
        assertThat(AdminClient.withPassword(router, "wrong").get("/admin/api/config").status()).isEqualTo(401);
    }

    @Test
    void should_redirect_to_the_login_page_when_a_browser_is_not_authenticated() {
        // when
        AdminClient.Answer answer = AdminClient.anonymous(router).get("/admin/api/config", Map.of("Accept", "text/html"));
        // then
        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.header("Location")).endsWith("/login");
        assertThat(AdminClient.anonymous(router).get("/login").body()).contains("<form", "_csrf");
    }

    @Test
    void should_refuse_a_change_from_a_browser_session_without_its_csrf_token() throws Exception {
        // given a browser session, logged in through the form as a person would
        LoginForm login = LoginForm.open(router);
        HttpClient browser = login.browser();
        HttpResponse<String> loggedIn = login.submit(AdminClient.USER, AdminClient.PASSWORD);
        assertThat(loggedIn.statusCode()).isEqualTo(302);
        assertThat(loggedIn.headers().firstValue("Location").orElse("")).doesNotContain("error");
        HttpResponse<String> config = browser.send(HttpRequest.newBuilder(
                URI.create(router.baseUrl() + "/admin/api/config")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(config.statusCode()).isEqualTo(200);
        String etag = config.headers().firstValue("ETag").orElseThrow();

        // when the session sends a change without the CSRF token (what a forged cross-site request would do)
        HttpResponse<String> forged = browser.send(HttpRequest.newBuilder(
                        URI.create(router.baseUrl() + "/admin/api/rules/coding?comment=forged"))
                .header("If-Match", etag).DELETE().build(), HttpResponse.BodyHandlers.ofString());

        // then it is refused and nothing changed
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(admin.get("/admin/api/config").header("ETag")).isEqualTo(etag);
    }

    @Test
    void should_keep_v1_and_actuator_open_when_admin_is_secured() {
        AdminClient anonymous = AdminClient.anonymous(router);
        assertThat(anonymous.get("/v1/models").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
        assertThat(anonymous.chat(CODING_PROMPT).status()).isEqualTo(200);
        // An unknown /v1 path keeps OpenAI's error shape.
        assertThat(anonymous.get("/v1/nothing").json().path("error").path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void should_return_the_live_config_with_its_etag_when_authenticated() {
        // when
        AdminClient.Answer answer = admin.get("/admin/api/config");
        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.etag()).isEqualTo("\"" + answer.json().path("version").asLong() + "\"");
        assertThat(answer.json().path("config").path("categories")).hasSize(8);
        assertThat(answer.json().path("config").path("experts").toString()).contains("primary", "secondary", "keyed");
    }

    @Test
    void should_show_experts_with_the_name_of_their_key_variable_but_never_its_value() {
        // when
        AdminClient.Answer answer = admin.get("/admin/api/experts/keyed");
        // then
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("apiKeyEnv").asText()).isEqualTo("COE_IT_ANTHROPIC_KEY");
        assertThat(answer.json().path("apiKeySet").asBoolean()).isTrue();
        assertThat(answer.json().path("resilience").path("circuitBreaker").path("slidingWindowSize").asInt()).isPositive();
        assertThat(admin.get("/admin/api/experts").body()).doesNotContain("stub-anthropic-key");
    }

    @Test
    void should_refuse_an_unknown_expert_in_a_chain_with_422() {
        assertRefused(admin.put("/admin/api/rules/coding", admin.etag(), Map.of("chain", List.of("primary", "nobody"))),
                "unknown_expert", "categories[coding].chain[1]");
    }

    @Test
    void should_refuse_an_empty_chain_with_422() {
        assertRefused(admin.put("/admin/api/rules/math", admin.etag(), Map.of("chain", List.of())),
                "empty_chain", "categories[math].chain");
    }

    @Test
    void should_refuse_an_expert_twice_in_a_chain_with_422() {
        assertRefused(admin.put("/admin/api/rules/coding", admin.etag(), Map.of("chain", List.of("primary", "secondary", "primary"))),
                "duplicate_expert", "categories[coding].chain[2]");
    }

    @Test
    void should_refuse_duplicate_category_ids_with_422() {
        // given a whole configuration with one category listed twice
        ObjectNode config = (ObjectNode) admin.get("/admin/api/config").json().path("config");
        ((ArrayNode) config.path("categories")).add(config.path("categories").get(0).deepCopy());
        // when
        AdminClient.Answer answer = admin.post("/admin/api/versions", admin.etag(), Map.of("config", config));
        // then
        assertRefused(answer, "duplicate_id", "categories[" + config.path("categories").get(0).path("id").asText() + "].id");
    }

    @Test
    void should_refuse_adding_an_expert_whose_id_exists_with_422() {
        assertRefused(admin.post("/admin/api/experts", admin.etag(), Map.of("expert", Map.of("id", "primary",
                "provider", "openai", "baseUrl", SECONDARY.baseUrl(), "model", "x"))), "duplicate_id", "expert.id");
    }

    @Test
    void should_refuse_an_expert_definition_with_a_secret_an_unknown_field_or_a_bad_value_with_422() {
        // an API key is refused, and never echoed back
        AdminClient.Answer secret = admin.post("/admin/api/experts", admin.etag(), Map.of("expert", Map.of("id", "leaky",
                "provider", "openai", "baseUrl", SECONDARY.baseUrl(), "model", "x", "apiKey", "sk-it-secret-value")));
        assertRefused(secret, "secret_refused", "expert.apiKey");
        assertThat(secret.body()).doesNotContain("sk-it-secret-value");
        // a misspelt field is named, not dropped, with the fields it could have been and no Java type
        AdminClient.Answer typo = admin.post("/admin/api/experts", admin.etag(), Map.of("expert", Map.of("id", "typo",
                "provider", "openai", "baseUrl", SECONDARY.baseUrl(), "model", "x",
                "resilience", Map.of("bulkhead", Map.of("maxConcurentCalls", 4)))));
        assertRefused(typo, "invalid", "expert.resilience.bulkhead.maxConcurentCalls");
        assertThat(typo.json().path("detail").asText()).contains("unknown field 'maxConcurentCalls' in "
                + "'expert.resilience.bulkhead'; known fields: maxConcurrentCalls, maxQueueWait").doesNotContain("java", "$");
        // a value the router could not build from is refused like experts.yaml at start
        assertRefused(admin.put("/admin/api/experts/secondary", admin.etag(), Map.of("expert", Map.of("provider", "telepathy",
                "model", "x"))), "invalid_expert", "expertDefinitions.experts[secondary]");
        assertThat(admin.get("/admin/api/experts/secondary").json().path("provider").asText()).isEqualTo("openai");
    }

    @Test
    void should_add_change_and_remove_an_expert_without_restart_when_versions_say_so() {
        // when an expert is added through the API and the coding rule sent to it
        AdminClient.Answer added = admin.post("/admin/api/experts", admin.etag(), Map.of("comment", "new engine",
                "expert", Map.of("id", "added", "provider", "openai", "baseUrl", SECONDARY.baseUrl(), "model", "stub-new",
                        "description", "added at run time", "cost", Map.of("activeParamsB", 3.3),
                        "resilience", Map.of("bulkhead", Map.of("maxConcurrentCalls", 4)))));
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        setCodingChain(List.of("added"));
        // then the next request is answered by it, with its model, and the API shows it with its settings
        AdminClient.Answer first = admin.chat(CODING_PROMPT);
        assertThat(first.header("x-coe-expert")).isEqualTo("added");
        assertThat(SECONDARY.chatRequests()).hasSize(1);
        assertThat(SECONDARY.chatRequests().getFirst().json().path("model").asText()).isEqualTo("stub-new");
        JsonNode view = admin.get("/admin/api/experts/added").json();
        assertThat(view.path("resilience").path("bulkhead").path("maxConcurrentCalls").asInt()).isEqualTo(4);
        assertThat(view.path("cost").path("activeParamsBillions").asDouble()).isEqualTo(3.3);
        assertThat(admin.get("/v1/models/added").status()).isEqualTo(200);

        // when its definition moves it to the other engine
        AdminClient.Answer moved = admin.put("/admin/api/experts/added", admin.etag(), Map.of("expert", Map.of("provider", "openai",
                "baseUrl", PRIMARY.baseUrl(), "model", "stub-moved")));
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.json().path("changes").asInt()).isEqualTo(1);
        assertThat(admin.get("/admin/api/versions/" + moved.json().path("number").asLong()).json().path("diff").toString())
                .contains("expertDefinitions[added]", "stub-new", "stub-moved");
        // then the next request goes there
        assertThat(admin.chat(CODING_PROMPT).header("x-coe-expert")).isEqualTo("added");
        assertThat(PRIMARY.chatRequests()).hasSize(1);
        assertThat(PRIMARY.chatRequests().getFirst().json().path("model").asText()).isEqualTo("stub-moved");
        long withAdded = admin.get("/admin/api/config").json().path("version").asLong();
        assertThat(admin.get("/admin/api/versions/" + withAdded + "/export/experts.yaml").body())
                .contains("id: added", "base-url: " + PRIMARY.baseUrl(), "model: stub-moved");

        // and it cannot be removed while the rule names it, but can afterwards
        assertRefused(admin.delete("/admin/api/experts/added", admin.etag()), "expert_referenced", "categories[coding].chain");
        setCodingChain(List.of("primary"));
        assertThat(admin.delete("/admin/api/experts/added?comment=gone", admin.etag()).status()).isEqualTo(200);
        assertThat(admin.get("/admin/api/experts/added").status()).isEqualTo(404);
        assertThat(admin.get("/v1/models/added").status()).isEqualTo(404);
        assertRefused(admin.put("/admin/api/rules/coding", admin.etag(), Map.of("chain", List.of("added"))),
                "unknown_expert", "categories[coding].chain[0]");

        // and rolling back to the version that had it brings it back, built again
        assertThat(admin.post("/admin/api/versions/" + withAdded + "/rollback", admin.etag(), null).status()).isEqualTo(200);
        assertThat(admin.get("/admin/api/experts/added").json().path("model").asText()).isEqualTo("stub-moved");
        setCodingChain(List.of("primary"));
        assertThat(admin.delete("/admin/api/experts/added", admin.etag()).status()).isEqualTo(200);
    }

    @Test
    void should_refuse_a_threshold_outside_0_and_1_with_422() {
        assertRefused(admin.put("/admin/api/categories/coding", admin.etag(), Map.of("description", "code", "threshold", 1.5)),
                "threshold_out_of_range", "categories[coding].threshold");
        assertRefused(admin.put("/admin/api/categories/coding", admin.etag(), Map.of("description", "code", "threshold", -0.1)),
                "threshold_out_of_range", "categories[coding].threshold");
    }

    @Test
    void should_refuse_deleting_an_expert_that_is_still_referenced_with_422() {
        assertRefused(admin.delete("/admin/api/experts/primary", admin.etag()), "expert_referenced", "fallbackChain");
        assertRefused(admin.put("/admin/api/experts/primary/routable", admin.etag(), Map.of("routable", false)),
                "expert_referenced", "fallbackChain");
    }

    @Test
    void should_take_an_unreferenced_expert_out_of_routing_and_refuse_it_in_chains_afterwards() {
        // given
        admin.put("/admin/api/experts/keyed/routable", admin.etag(), Map.of("routable", true));
        // when
        AdminClient.Answer drained = admin.put("/admin/api/experts/keyed/routable", admin.etag(),
                Map.of("routable", false, "comment", "drained"));
        // then
        assertThat(drained.status()).isEqualTo(200);
        assertThat(admin.get("/admin/api/experts/keyed").json().path("routable").asBoolean()).isFalse();
        assertRefused(admin.put("/admin/api/rules/coding", admin.etag(), Map.of("chain", List.of("keyed"))),
                "unknown_expert", "categories[coding].chain[0]");
        // and it comes back
        assertThat(admin.put("/admin/api/experts/keyed/routable", admin.etag(), Map.of("routable", true)).status()).isEqualTo(200);
    }

    @Test
    void should_answer_400_problem_when_the_json_is_malformed() {
        // when
        AdminClient.Answer answer = admin.put("/admin/api/rules/coding", admin.etag(), "{\"chain\": [\"primary\"");
        // then
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().path("type").asText()).isEqualTo("urn:coe:problem:malformed-json");
        assertThat(answer.json().path("detail").asText()).contains("(line 1, column");
    }

    @Test
    void should_answer_400_problem_naming_the_field_when_a_value_has_the_wrong_shape() {
        // when
        AdminClient.Answer chain = admin.put("/admin/api/rules/coding", admin.etag(), "{\"chain\": \"primary\"}");
        AdminClient.Answer threshold = admin.put("/admin/api/categories/coding", admin.etag(), "{\"threshold\": \"high\"}");
        // then: the field and what it takes, in the API's terms, not the Java type it failed to fit
        assertThat(chain.status()).isEqualTo(400);
        assertThat(chain.json().path("type").asText()).isEqualTo("urn:coe:problem:malformed-json");
        assertThat(chain.json().path("detail").asText()).isEqualTo("'chain' must be an array, but was a string");
        assertThat(threshold.status()).isEqualTo(400);
        assertThat(threshold.json().path("detail").asText()).isEqualTo("'threshold' must be a number, but was 'high'");
    }

    @Test
    void should_answer_problem_details_for_unknown_admin_paths_and_versions() {
        assertThat(admin.get("/admin/api/nothing").json().path("status").asInt()).isEqualTo(404);
        assertThat(admin.get("/admin/api/versions/999999").json().path("type").asText()).isEqualTo("urn:coe:problem:not-found");
        assertThat(admin.get("/admin/api/versions/abc").status()).isEqualTo(400);
    }

    @Test
    void should_answer_400_problem_when_explain_has_nothing_to_classify() {
        // an empty prompt, one of only a NUL and a zero-width space (not blank to Java, no text to the classifier), a null message
        for (Object body : List.of(Map.of("prompt", ""), Map.of("prompt", "\u0000\u200B"), "{\"messages\": [null]}")) {
            AdminClient.Answer answer = admin.post("/admin/api/explain", null, body);
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
            assertThat(answer.json().path("type").asText()).isEqualTo("urn:coe:problem:bad-request");
        }
        // nothing at all, and both at once, each told apart
        assertThat(admin.post("/admin/api/explain", null, "{}").json().path("detail").asText())
                .isEqualTo("nothing to classify: send 'prompt' or a non-empty 'messages'");
        assertThat(admin.post("/admin/api/explain", null, Map.of("prompt", "Sort a list in Go",
                "messages", List.of(Map.of("role", "user", "content", "Sort a list in Go")))).json().path("detail").asText())
                .isEqualTo("send either 'prompt' or 'messages', not both");
    }

    @Test
    void should_refuse_a_version_with_a_null_category_with_422_naming_its_place() {
        // given the live configuration with a null among its categories
        ObjectNode config = (ObjectNode) admin.get("/admin/api/config").json().path("config").deepCopy();
        ((ArrayNode) config.path("categories")).insertNull(0);
        // when
        AdminClient.Answer answer = admin.post("/admin/api/versions", null, Map.of("config", config, "draft", true));
        // then
        assertRefused(answer, "required", "categories[0]");
    }

    @Test
    void should_answer_problem_details_when_tomcat_refuses_the_path() {
        // Tomcat refuses an encoded slash before Spring sees the request; its own answer would be an HTML page.
        AdminClient.Answer answer = admin.get("/admin/api/categories/a%2Fb");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().path("status").asInt()).isEqualTo(400);
        assertThat(answer.json().path("detail").asText()).contains("Invalid URI");
    }

    @Test
    void should_answer_428_when_a_change_has_no_if_match() {
        // given
        String before = admin.etag();
        // when
        AdminClient.Answer answer = admin.put("/admin/api/rules/coding", null, Map.of("chain", List.of("primary")));
        // then
        assertThat(answer.status()).isEqualTo(428);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(admin.etag()).isEqualTo(before);
    }

    @Test
    void should_answer_409_to_a_stale_if_match_and_keep_the_first_change() {
        // given two operators who read the same version
        String seen = admin.etag();
        AdminClient.Answer first = admin.put("/admin/api/rules/math", seen, Map.of("chain", List.of("secondary", "primary"),
                "comment", "math to secondary"));
        // when the second one saves on top of what they saw
        AdminClient.Answer second = admin.put("/admin/api/rules/math", seen, Map.of("chain", List.of("primary")));
        // then
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().path("liveVersion").asLong()).isEqualTo(first.json().path("number").asLong());
        assertThat(admin.get("/admin/api/rules/math").json().path("chain").toString()).isEqualTo("[\"secondary\",\"primary\"]");
        assertThat(admin.etag()).isEqualTo(first.etag());
        admin.delete("/admin/api/rules/math", admin.etag());
    }

    @Test
    void should_roll_back_as_a_new_version_with_its_author_and_diff() {
        // given
        long before = admin.get("/admin/api/config").json().path("version").asLong();
        AdminClient.Answer changed = admin.put("/admin/api/categories/writing", admin.etag(),
                Map.of("description", "Poems & <b>prose</b>", "comment", "clearer text"));
        // when
        AdminClient.Answer rolledBack = admin.post("/admin/api/versions/" + before + "/rollback", admin.etag(),
                Map.of("comment", "too clever"));
        // then
        long changedNumber = changed.json().path("number").asLong();
        long rollbackNumber = rolledBack.json().path("number").asLong();
        assertThat(rolledBack.status()).isEqualTo(200);
        assertThat(rollbackNumber).isEqualTo(changedNumber + 1);
        assertThat(rolledBack.json().path("comment").asText()).isEqualTo("roll back to version " + before + ": too clever");
        assertThat(rolledBack.json().path("author").asText()).isEqualTo(AdminClient.USER);
        assertThat(admin.get("/admin/api/versions/" + rollbackNumber).json().path("config"))
                .isEqualTo(admin.get("/admin/api/versions/" + before).json().path("config"));
        JsonNode diff = admin.get("/admin/api/versions/" + changedNumber).json().path("diff");
        assertThat(diff).hasSize(1);
        assertThat(diff.get(0).path("path").asText()).isEqualTo("categories[writing].description");
        assertThat(diff.get(0).path("after").asText()).isEqualTo("Poems & <b>prose</b>");
        JsonNode history = admin.get("/admin/api/versions").json();
        assertThat(history.get(0).path("number").asLong()).isEqualTo(rollbackNumber);
        assertThat(history.get(0).path("status").asText()).isEqualTo("live");
        assertThat(history.get(1).path("status").asText()).isEqualTo("superseded");
        assertThat(admin.get("/admin/api/versions/" + rollbackNumber + "/diff?from=" + before).json().path("changes")).isEmpty();
    }

    @Test
    void should_explain_live_and_draft_routes_without_calling_an_expert() {
        // given a draft that sends coding to secondary
        setCodingChain(List.of("primary"));
        ObjectNode config = (ObjectNode) admin.get("/admin/api/config").json().path("config");
        for (JsonNode category : config.path("categories")) {
            if (category.path("id").asText().equals("coding")) {
                ((ObjectNode) category).set("chain", JSON.valueToTree(List.of("secondary", "primary")));
            }
        }
        String etagBefore = admin.etag();
        AdminClient.Answer draft = admin.post("/admin/api/versions", null, Map.of("config", config, "draft", true, "comment", "try"));
        long draftNumber = draft.json().path("number").asLong();
        // when
        JsonNode explained = admin.post("/admin/api/explain", null, Map.of("messages",
                List.of(Map.of("role", "user", "content", CODING_PROMPT)), "version", draftNumber)).json();
        // then
        assertThat(draft.status()).isEqualTo(201);
        assertThat(draft.json().path("status").asText()).isEqualTo("draft");
        assertThat(admin.etag()).isEqualTo(etagBefore);
        assertThat(explained.path("category").asText()).isEqualTo("coding");
        assertThat(explained.path("distribution").size()).isEqualTo(8);
        assertThat(explained.path("live").path("chain").toString()).isEqualTo("[\"primary\"]");
        assertThat(explained.path("live").path("uncertain").asBoolean()).isFalse();
        assertThat(explained.path("candidate").path("version").asLong()).isEqualTo(draftNumber);
        assertThat(explained.path("candidate").path("draft").asBoolean()).isTrue();
        assertThat(explained.path("candidate").path("chain").toString()).isEqualTo("[\"secondary\",\"primary\"]");
        assertThat(PRIMARY.chatRequests()).isEmpty();
        assertThat(SECONDARY.chatRequests()).isEmpty();

        // and when the draft is applied, live routing follows it
        AdminClient.Answer applied = admin.post("/admin/api/versions/" + draftNumber + "/apply", admin.etag(), null);
        assertThat(applied.status()).isEqualTo(200);
        assertThat(admin.post("/admin/api/explain", null, Map.of("prompt", CODING_PROMPT)).json()
                .path("live").path("chain").toString()).isEqualTo("[\"secondary\",\"primary\"]");
        assertThat(admin.chat(CODING_PROMPT).header("x-coe-expert")).isEqualTo("secondary");
        setCodingChain(List.of("primary"));
    }

    @Test
    void should_route_the_next_request_by_the_new_version_while_a_request_in_flight_finishes_on_the_old_one() {
        // given a request held by the primary expert
        setCodingChain(List.of("primary"));
        PRIMARY.delayFirstByte(Duration.ofSeconds(2));
        CompletableFuture<AdminClient.Answer> inFlight = CompletableFuture.supplyAsync(() -> admin.chat(CODING_PROMPT));
        await().atMost(10, TimeUnit.SECONDS).until(() -> PRIMARY.chatRequests().size() == 1);
        // when the coding rule moves to secondary
        AdminClient.Answer changed = admin.put("/admin/api/rules/coding", admin.etag(), Map.of("chain", List.of("secondary")));
        AdminClient.Answer next = admin.chat(CODING_PROMPT);
        // then
        assertThat(changed.status()).isEqualTo(200);
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.header("x-coe-expert")).isEqualTo("secondary");
        AdminClient.Answer old = inFlight.join();
        assertThat(old.status()).isEqualTo(200);
        assertThat(old.header("x-coe-expert")).isEqualTo("primary");
        assertThat(PRIMARY.chatRequests()).hasSize(1);
        assertThat(SECONDARY.chatRequests()).hasSize(1);
        setCodingChain(List.of("primary"));
    }

    @Test
    void should_export_a_version_as_routing_yaml_that_the_loader_accepts() {
        // given
        setCodingChain(List.of("secondary", "primary"));
        long live = admin.get("/admin/api/config").json().path("version").asLong();
        // when
        AdminClient.Answer export = admin.get("/admin/api/versions/" + live + "/export");
        RoutingTable table = RoutingTableLoader.parse(export.body(),
                Set.of(ExpertId.of("primary"), ExpertId.of("secondary"), ExpertId.of("keyed")),
                Set.of("coding", "math", "writing", "roleplay", "reasoning", "extraction", "stem", "humanities"));
        // then
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.header("Content-Type")).startsWith("application/yaml");
        assertThat(table.findRule("coding").orElseThrow().chain()).containsExactly(ExpertId.of("secondary"), ExpertId.of("primary"));
        assertThat(table.fallbackChain()).containsExactly(ExpertId.of("primary"));
        assertThat(admin.get("/admin/api/versions/" + live + "/export/categories.yaml").body()).contains("id: coding");
        setCodingChain(List.of("primary"));
    }

    private static void setCodingChain(List<String> chain) {
        AdminClient.Answer answer = admin.put("/admin/api/rules/coding", admin.etag(), Map.of("chain", chain));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    /** A 422 problem naming the field and code, after which the live version is unchanged. */
    private static void assertRefused(AdminClient.Answer answer, String code, String field) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(422);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().path("type").asText()).isEqualTo("urn:coe:problem:invalid-config");
        assertThat(answer.errorCodes()).contains(code);
        assertThat(answer.json().path("errors").toString()).contains("\"field\":\"" + field + "\"");
    }
}
