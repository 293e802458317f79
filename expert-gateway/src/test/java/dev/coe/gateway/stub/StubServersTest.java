package dev.coe.gateway.stub;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The stubs' raw wire format, read with a plain HTTP client rather than through langchain4j. */
class StubServersTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(String url, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> sseData(String body) {
        return Arrays.stream(body.split("\n")).filter(line -> line.startsWith("data: {"))
                .map(line -> StubJson.parseOrNull(line.substring(6))).toList();
    }

    @Test
    void should_stream_openai_chunks_with_role_first_usage_chunk_and_done() throws Exception {
        try (OpenAiStubServer stub = new OpenAiStubServer()) {
            // given
            stub.replyText("Hi there").usage(3, 2);

            // when
            HttpResponse<String> response = post(stub.baseUrl() + "/chat/completions",
                    "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}", Map.of());

            // then
            List<JsonNode> chunks = sseData(response.body());
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
            assertThat(chunks.getFirst().at("/choices/0/delta/role").asText()).isEqualTo("assistant");
            assertThat(chunks.get(1).at("/choices/0/delta/content").asText()).isEqualTo("Hi");
            assertThat(chunks.get(2).at("/choices/0/delta/content").asText()).isEqualTo(" there");
            assertThat(chunks.get(3).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
            assertThat(chunks.get(4).get("choices")).isEmpty();
            assertThat(chunks.get(4).at("/usage/total_tokens").asInt()).isEqualTo(5);
            assertThat(response.body()).endsWith("data: [DONE]\n\n");
            assertThat(stub.lastRequest().streaming()).isTrue();
        }
    }

    @Test
    void should_stream_ollama_ndjson_ending_with_done_and_counts() throws Exception {
        try (OllamaStubServer stub = new OllamaStubServer()) {
            // given
            stub.replyText("Hi there").usage(3, 2);

            // when
            HttpResponse<String> response = post(stub.baseUrl() + "/api/chat", "{\"model\":\"m\",\"messages\":[],\"stream\":true}", Map.of());

            // then
            List<JsonNode> lines = response.body().lines().map(StubJson::parseOrNull).toList();
            assertThat(lines).hasSize(3);
            assertThat(lines.getFirst().get("done").asBoolean()).isFalse();
            assertThat(lines.getLast().get("done").asBoolean()).isTrue();
            assertThat(lines.getLast().get("prompt_eval_count").asInt()).isEqualTo(3);
            assertThat(lines.getLast().get("eval_count").asInt()).isEqualTo(2);
        }
    }

    @Test
    void should_stream_anthropic_events_in_order() throws Exception {
        try (AnthropicStubServer stub = new AnthropicStubServer()) {
            // when
            HttpResponse<String> response = post(stub.baseUrl() + "/messages", "{\"model\":\"m\",\"stream\":true,\"messages\":[]}",
                    Map.of("x-api-key", AnthropicStubServer.DEFAULT_API_KEY, "anthropic-version", "2023-06-01"));

            // then
            List<String> events = response.body().lines().filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).distinct().toList();
            assertThat(events).containsExactly("message_start", "content_block_start", "ping", "content_block_delta",
                    "content_block_stop", "message_delta", "message_stop");
        }
    }

    @Test
    void should_answer_anthropic_errors_in_its_shape_when_the_key_or_version_is_wrong() throws Exception {
        try (AnthropicStubServer stub = new AnthropicStubServer()) {
            // when
            HttpResponse<String> wrongKey = post(stub.baseUrl() + "/messages", "{}",
                    Map.of("x-api-key", "nope", "anthropic-version", "2023-06-01"));
            HttpResponse<String> noVersion = post(stub.baseUrl() + "/messages", "{}",
                    Map.of("x-api-key", AnthropicStubServer.DEFAULT_API_KEY));

            // then
            assertThat(wrongKey.statusCode()).isEqualTo(401);
            assertThat(StubJson.parseOrNull(wrongKey.body()).at("/error/type").asText()).isEqualTo("authentication_error");
            assertThat(noVersion.statusCode()).isEqualTo(400);
            assertThat(StubJson.parseOrNull(noVersion.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
        }
    }

    @Test
    void should_send_scripted_failures_with_their_headers_then_the_default_reply() throws Exception {
        try (OpenAiStubServer stub = new OpenAiStubServer()) {
            // given
            stub.failWithStatus(429, null, Map.of("Retry-After", "2"));

            // when
            HttpResponse<String> first = post(stub.baseUrl() + "/chat/completions", "{\"messages\":[]}", Map.of());
            HttpResponse<String> second = post(stub.baseUrl() + "/chat/completions", "{\"messages\":[]}", Map.of());

            // then
            assertThat(first.statusCode()).isEqualTo(429);
            assertThat(first.headers().firstValue("Retry-After")).hasValue("2");
            assertThat(StubJson.parseOrNull(first.body()).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(StubJson.parseOrNull(second.body()).at("/choices/0/message/content").asText())
                    .isEqualTo("Hello from the OpenAI stub.");
            assertThat(stub.chatRequests()).hasSize(2);
        }
    }

    @Test
    void should_delay_the_first_byte_of_the_next_call_only() throws Exception {
        try (OllamaStubServer stub = new OllamaStubServer()) {
            // given
            stub.delayFirstByte(java.time.Duration.ofMillis(200));

            // when
            long start = System.nanoTime();
            post(stub.baseUrl() + "/api/chat", "{\"stream\":false,\"messages\":[]}", Map.of());
            long delayed = System.nanoTime() - start;
            start = System.nanoTime();
            post(stub.baseUrl() + "/api/chat", "{\"stream\":false,\"messages\":[]}", Map.of());
            long next = System.nanoTime() - start;

            // then
            assertThat(delayed).isGreaterThanOrEqualTo(200_000_000L);
            assertThat(next).isLessThan(delayed);
        }
    }

    @Test
    void should_release_a_hanging_call_on_reset() throws Exception {
        try (AnthropicStubServer stub = new AnthropicStubServer()) {
            // given
            stub.hang();
            java.util.concurrent.CompletableFuture<HttpResponse<String>> hanging = http.sendAsync(
                    HttpRequest.newBuilder(URI.create(stub.baseUrl() + "/messages"))
                            .header("x-api-key", AnthropicStubServer.DEFAULT_API_KEY).header("anthropic-version", "2023-06-01")
                            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            while (stub.chatRequests().isEmpty()) {
                Thread.onSpinWait();
            }

            // when
            stub.reset();

            // then: the connection is closed without an answer
            org.assertj.core.api.Assertions.assertThat(hanging).failsWithin(java.time.Duration.ofSeconds(5));
            assertThat(stub.requests()).isEmpty();
        }
    }

    @Test
    void should_cut_a_stream_so_that_the_client_sees_an_io_error() throws Exception {
        try (OpenAiStubServer stub = new OpenAiStubServer()) {
            // given
            stub.dropConnectionAfterChunks(2);
            HttpRequest request = HttpRequest.newBuilder(URI.create(stub.baseUrl() + "/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true,\"messages\":[]}")).build();

            // when / then
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> response.body().readAllBytes())
                    .isInstanceOf(IOException.class);
        }
    }
}
