package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coe.gateway.stub.OpenAiStubServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every field of the admin API's request bodies (categories, rules, experts, whole versions, explain, client keys) set
 * in turn to each of the {@link EdgeValues}, on a router of its own, since some of the values are valid and change its
 * configuration. Whatever the router makes of a body, it must not be an internal error: each answer is a 2xx, or a
 * 4xx problem detail (RFC 9457, {@code application/problem+json}); and afterwards the router still routes. The cases
 * that once gave a 500 (a null category in a version, a null or empty message to explain) are named in
 * {@link AdminApiIT}.
 */
class AdminFuzzIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final OpenAiStubServer STUB = new OpenAiStubServer();

    private static RouterUnderTest router;
    private static AdminClient admin;

    /** Problems found, one line each, so that a failure lists them all. */
    private final List<String> problems = new ArrayList<>();

    @BeforeAll
    static void start() {
        router = RouterUnderTest.start("""
                experts:
                  - {id: primary,   provider: openai, base-url: %s, model: stub-a}
                  - {id: secondary, provider: openai, base-url: %s, model: stub-b}
                """.formatted(STUB.baseUrl(), STUB.baseUrl()), """
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
        STUB.close();
    }

    @Test
    void should_never_answer_an_internal_error_when_an_admin_body_has_a_wrong_type_or_an_edge_value() throws IOException {
        String key = admin.post("/admin/api/keys", null, Map.of("name", "fuzzed")).json().path("details").path("id").asText();
        assertThat(key).startsWith("key_");
        for (JsonNode v : EdgeValues.all()) {
            for (String field : List.of("description", "threshold", "fallback", "comment")) {
                check("PUT", "/admin/api/categories/coding", body(b -> b.put("description", "code").set(field, v)));
            }
            check("PUT", "/admin/api/rules/coding", body(b -> b.set("chain", v)));
            check("PUT", "/admin/api/rules/coding", body(b -> b.set("chain", NODES.arrayNode().add(v))));
            check("PUT", "/admin/api/experts/secondary/routable", body(b -> b.set("routable", v)));
            for (String field : List.of("id", "provider", "baseUrl", "model", "apiKeyEnv", "cost", "resilience", "cache",
                    "requestTimeout", "enabled", "simulation")) {
                check("POST", "/admin/api/experts", body(b -> b.set("expert", expert("fuzz", field, v))));
                check("PUT", "/admin/api/experts/secondary", body(b -> b.set("expert", expert("secondary", field, v))));
            }
            check("POST", "/admin/api/experts", body(b -> b.set("expert", v)));
            for (String field : List.of("routerModels", "fallbackChain", "defaultThreshold", "categories", "experts",
                    "expertDefinitions")) {
                check("POST", "/admin/api/versions", body(b -> b.put("draft", true).set("config", liveConfig().set(field, v))));
            }
            check("POST", "/admin/api/versions", body(b -> {
                ObjectNode config = liveConfig();
                ((ArrayNode) config.path("categories")).add(v);
                b.put("draft", true).set("config", config);
            }));
            check("POST", "/admin/api/versions", body(b -> b.set("config", v)));
            check("POST", "/admin/api/versions", body(b -> {
                b.set("draft", v);
                b.set("config", liveConfig());
            }));
            check("POST", "/admin/api/explain", body(b -> b.set("prompt", v)));
            check("POST", "/admin/api/explain", body(b -> b.set("messages", v)));
            check("POST", "/admin/api/explain", body(b -> b.set("messages", NODES.arrayNode().add(v))));
            check("POST", "/admin/api/explain", body(b -> b.set("messages", NODES.arrayNode()
                    .add(NODES.objectNode().put("role", "user").set("content", v)))));
            check("POST", "/admin/api/explain", body(b -> b.set("messages", NODES.arrayNode()
                    .add(NODES.objectNode().put("content", "hi").set("role", v)))));
            check("POST", "/admin/api/explain", body(b -> b.put("prompt", "hi").set("version", v)));
            for (String field : List.of("name", "allowedModels", "allowedCategories", "requestsPerMinute", "tokensPerMinute",
                    "tokenBudget", "expiresAt")) {
                // keys are read strictly, so these bodies carry no comment: each is judged on the one value
                check("POST", "/admin/api/keys", NODES.objectNode().put("name", "fuzz").set(field, v));
                check("PATCH", "/admin/api/keys/" + key, NODES.objectNode().set(field, v));
            }
        }

        assertThat(problems).as("answers that were internal errors or not problem details").isEmpty();
        // and the router still routes on whatever configuration the valid values left live
        assertThat(admin.chat("Write a Python function that reverses a list.").status()).isEqualTo(200);
    }

    private static ObjectNode body(Consumer<ObjectNode> fill) {
        ObjectNode b = NODES.objectNode().put("comment", "fuzz");
        fill.accept(b);
        return b;
    }

    private static ObjectNode expert(String id, String field, JsonNode v) {
        ObjectNode expert = NODES.objectNode().put("id", id).put("provider", "openai").put("baseUrl", STUB.baseUrl())
                .put("model", "stub-fuzz");
        expert.set(field, v);
        return expert;
    }

    private static ObjectNode liveConfig() {
        return (ObjectNode) admin.get("/admin/api/config").json().path("config").deepCopy();
    }

    private void check(String method, String path, ObjectNode body) throws IOException {
        // "*" overwrites whatever is live, so that every change is judged on its body, not refused as stale.
        AdminClient.Answer answer = switch (method) {
            case "PUT" -> admin.put(path, "*", body);
            case "PATCH" -> admin.patch(path, body);
            default -> admin.post(path, "*", body);
        };
        int status = answer.status();
        String problem = null;
        if (status >= 500 || (status >= 300 && status < 400)) {
            problem = "status " + status;
        } else if (status >= 400) {
            String type = answer.header("Content-Type");
            if (type == null || !type.startsWith("application/problem+json")) {
                problem = "content type " + type;
            } else if (JSON.readTree(answer.body()).path("status").asInt() != status) {
                problem = "problem detail without its status";
            }
        }
        if (problem != null) {
            String sent = JSON.writeValueAsString(body);
            problems.add(problem + ": " + method + " " + path + " " + abbreviate(sent) + " -> " + abbreviate(answer.body()));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
