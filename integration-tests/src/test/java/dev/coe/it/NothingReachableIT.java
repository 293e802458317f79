package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coe.router.expert.ExpertHealthMonitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A router whose experts are all unreachable (and one hosted expert without its key) still starts,
 * reports each expert's state in {@code /actuator/health}, and answers chat requests with a clear 503.
 */
class NothingReachableIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newHttpClient();
    private static RouterUnderTest router;

    @BeforeAll
    static void start() {
        router = RouterUnderTest.start("""
                experts:
                  - id: local-moe
                    provider: openai
                    base-url: http://127.0.0.1:1/v1
                    model: m
                  - id: ollama
                    provider: ollama
                    base-url: http://127.0.0.1:1
                    model: llama
                  - id: hosted
                    provider: openai
                    base-url: https://api.example.invalid/v1
                    model: gpt
                    api-key-env: COE_IT_KEY_THAT_IS_NEVER_SET
                """, """
                fallback-chain: [local-moe, ollama, hosted]
                """, "coe.health-check-interval=1h");
        // The first probe runs in the background at start-up; run one now so the assertions do not race it.
        router.bean(ExpertHealthMonitor.class).checkAll();
    }

    @AfterAll
    static void stop() {
        router.close();
    }

    @Test
    void should_report_each_unreachable_expert_when_health_is_asked() throws Exception {
        // when
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(router.baseUrl() + "/actuator/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

        // then
        JsonNode experts = JSON.readTree(response.body()).path("components").path("experts");
        assertThat(experts.path("status").asText()).isEqualTo("DOWN");
        assertThat(experts.path("details").path("local-moe").path("status").asText()).isEqualTo("DOWN");
        assertThat(experts.path("details").path("local-moe").path("detail").asText()).contains("127.0.0.1:1");
        assertThat(experts.path("details").path("ollama").path("status").asText()).isEqualTo("DOWN");
        assertThat(experts.path("details").path("hosted").path("status").asText()).isEqualTo("DISABLED");
        assertThat(experts.path("details").path("hosted").path("detail").asText()).contains("COE_IT_KEY_THAT_IS_NEVER_SET");
    }

    @Test
    void should_answer_503_naming_every_expert_when_chat_is_asked() throws Exception {
        // when
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(router.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Write a sorting function in Go\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(503);
        String message = JSON.readTree(response.body()).path("error").path("message").asText();
        assertThat(message).contains("local-moe (unreachable").contains("ollama (unreachable").contains("hosted (disabled");
        assertThat(response.headers().firstValue("x-coe-attempts")).hasValue("local-moe=unreachable,ollama=unreachable,hosted=disabled");
    }
}
