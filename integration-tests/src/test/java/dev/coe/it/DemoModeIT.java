package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code demo} profile on the repository's default {@code config/}: routing works with no model
 * server, and every answer is labelled as simulated (header, model name, text and routing object). This router runs
 * its classifier on two ONNX Runtime threads per pass ({@code coe.classifier-onnx-threads}), the other tests' on the
 * default one, so that both settings route real prompts. Its classifier's vector cache is the default one.
 */
class DemoModeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newHttpClient();
    private static RouterUnderTest router;

    @BeforeAll
    static void start() {
        router = RouterUnderTest.startWithRepoConfig("spring.profiles.active=demo", "coe.classifier-onnx-threads=2");
    }

    @AfterAll
    static void stop() {
        router.close();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(router.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void should_label_answer_as_simulated_when_demo_profile_routes_a_prompt() throws Exception {
        // when
        HttpResponse<String> response = post("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Write a Java method that checks whether a string is a palindrome.\"}]}");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-coe-simulated")).hasValue("true");
        assertThat(response.headers().firstValue("x-coe-category")).hasValue("coding");
        assertThat(response.headers().firstValue("x-coe-expert")).hasValue("local-moe");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("model").asText()).endsWith("(simulated)");
        assertThat(body.path("choices").get(0).path("message").path("content").asText()).startsWith("[simulated local-moe]");
        assertThat(body.path("routing").path("simulated").asBoolean()).isTrue();
    }

    @Test
    void should_route_by_the_fallback_chain_and_say_why_when_the_prompt_is_in_a_foreign_script() throws Exception {
        // given
        double before = PrometheusScrape.value(router, "coe_router_requests_total", "reason", "foreign_script");

        // when a Chinese coding question, which the English classifier cannot read
        HttpResponse<String> response = post("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"用 Python 写一个函数，判断一个字符串是不是回文。\"}]}");

        // then it is answered, by the rule's fallback and then the fallback chain, and the reason is given
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-coe-route-reason")).hasValue("foreign_script");
        assertThat(response.headers().firstValue("x-coe-category")).isPresent();
        JsonNode routing = JSON.readTree(response.body()).path("routing");
        assertThat(routing.path("reason").asText()).isEqualTo("foreign_script");
        List<String> chain = new java.util.ArrayList<>();
        routing.path("chain").forEach(e -> chain.add(e.asText()));
        assertThat(chain).endsWith("local-moe", "ollama-llama", "openai-gpt-4o-mini", "claude-sonnet");
        assertThat(PrometheusScrape.value(router, "coe_router_requests_total", "reason", "foreign_script")).isEqualTo(before + 1);
    }

    @Test
    void should_show_the_classifier_and_its_threads_in_actuator_info_when_they_are_set() throws Exception {
        // when
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(router.baseUrl() + "/actuator/info"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode classifier = JSON.readTree(response.body()).path("classifier");
        assertThat(classifier.path("name").asText()).isEqualTo("embedding-logistic");
        assertThat(classifier.path("version").asText()).startsWith("embedding-logistic/v2+sha256:");
        assertThat(classifier.path("onnxThreads").asInt()).isEqualTo(2);
        assertThat(classifier.path("vectorCacheBytes").asLong()).isEqualTo(32L << 20);
        assertThat(classifier.path("categories")).extracting(JsonNode::asText).contains("coding", "math", "writing");
    }

    @Test
    void should_take_the_earlier_turn_from_the_vector_cache_when_a_chat_sends_its_second_request() throws Exception {
        // given: the chat's first request, with a turn of its own (one sentence: one vector)
        String first = "{\"role\":\"user\",\"content\":\"Write a limerick about a cat called " + System.nanoTime() + ".\"}";
        assertThat(post("{\"model\":\"auto\",\"messages\":[" + first + "]}").statusCode()).isEqualTo(200);
        double hits = vectorCacheGets("hit");
        double misses = vectorCacheGets("miss");

        // when: the second request repeats the first turn, as clients do
        HttpResponse<String> second = post("{\"model\":\"auto\",\"messages\":[" + first
                + ",{\"role\":\"assistant\",\"content\":\"There once was a cat...\"}"
                + ",{\"role\":\"user\",\"content\":\"Now solve 3x + 5 = 20 for x.\"}]}");

        // then: the earlier turn came from the cache, the new one was embedded, and the new one decides
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("x-coe-category")).hasValue("math");
        assertThat(vectorCacheGets("hit")).isEqualTo(hits + 1);
        assertThat(vectorCacheGets("miss")).isEqualTo(misses + 1);
    }

    private static double vectorCacheGets(String result) throws Exception {
        return PrometheusScrape.value(router, "cache_gets_total", "cache", "coe.classifier.vectors", "result", result);
    }

    @Test
    void should_refuse_to_start_and_name_the_setting_when_classifier_onnx_threads_is_out_of_range() {
        assertThatThrownBy(() -> RouterUnderTest.startWithRepoConfig("spring.profiles.active=demo",
                "coe.classifier-onnx-threads=0"))
                .rootCause().hasMessageContaining("classifierOnnxThreads").hasMessageContaining("rejected value [0]");
    }

    @Test
    void should_label_stream_as_simulated_when_demo_profile_streams() throws Exception {
        // when
        HttpResponse<String> response = post("{\"model\":\"auto\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Write a sonnet about the sea at dawn.\"}]}");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/event-stream"));
        assertThat(response.headers().firstValue("x-coe-simulated")).hasValue("true");
        List<String> events = response.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(events.getLast()).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = JSON.readTree(e);
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.path("model").asText()).endsWith("(simulated)");
            text.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
        }
        assertThat(text.toString()).startsWith("[simulated ");
    }
}
