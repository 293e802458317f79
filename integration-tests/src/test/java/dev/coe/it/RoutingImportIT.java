package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coe.gateway.stub.OpenAiStubServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /admin/api/versions/import} over real HTTP: the mapping optimizer's draft {@code routing.yaml} becomes a
 * draft version with its diff against live, goes live through the ordinary apply, and bad drafts get 422 problem
 * details naming the field.
 */
class RoutingImportIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OpenAiStubServer STUB = new OpenAiStubServer();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RouterUnderTest router;
    private static AdminClient admin;

    @BeforeAll
    static void start() {
        router = RouterUnderTest.start("""
                experts:
                  - {id: small, provider: openai, base-url: %s, model: stub-a}
                  - {id: large, provider: openai, base-url: %s, model: stub-b}
                """.formatted(STUB.baseUrl(), STUB.baseUrl()), """
                router-models: [auto]
                fallback-chain: [large]
                default-threshold: 0.0
                rules:
                  - {category: coding, chain: [large]}
                """, AdminClient.routerProperties());
        admin = AdminClient.of(router);
    }

    @AfterAll
    static void stop() {
        router.close();
        STUB.close();
    }

    @Test
    void should_import_a_draft_with_its_diff_and_apply_it_as_a_new_live_version() throws Exception {
        // given: the optimizer's draft moves coding to the small expert, keeping the large one as fallback
        String draft = """
                # Draft routing from the CoE mapping optimizer
                router-models: [auto]
                fallback-chain: [large]
                default-threshold: 0.0
                rules:
                  - category: coding
                    chain: [small, large]
                """;
        String liveBefore = admin.etag();

        // when
        HttpResponse<String> imported = importYaml(draft, "comment=from%20the%20optimizer");

        // then: a draft, with the change against live; routing untouched
        assertThat(imported.statusCode()).isEqualTo(201);
        JsonNode body = JSON.readTree(imported.body());
        long number = body.path("draft").path("number").asLong();
        assertThat(imported.headers().firstValue("Location").orElse("")).endsWith("/admin/api/versions/" + number);
        assertThat(body.path("draft").path("status").asText()).isEqualTo("draft");
        assertThat(body.path("changes").toString()).contains("categories[coding].chain");
        assertThat(admin.etag()).isEqualTo(liveBefore);

        // and when applied through the ordinary apply
        AdminClient.Answer applied = admin.post("/admin/api/versions/" + number + "/apply", liveBefore, "{}");
        assertThat(applied.status()).isEqualTo(200);
        assertThat(admin.get("/admin/api/config").json().path("config").path("categories").toString())
                .contains("[\"small\",\"large\"]");
    }

    @Test
    void should_answer_422_problem_naming_the_rule_when_the_draft_is_for_another_taxonomy() throws Exception {
        HttpResponse<String> answer = importYaml("rules:\n  - {category: chemistry, chain: [small]}\n", "");

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(answer.body()).contains("rules[0].category", "unknown_category");
    }

    private static HttpResponse<String> importYaml(String yaml, String query) throws Exception {
        String auth = Base64.getEncoder().encodeToString((AdminClient.USER + ":" + AdminClient.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create(router.baseUrl() + "/admin/api/versions/import?" + query))
                .header("Authorization", "Basic " + auth).header("Content-Type", "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(yaml)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
