package dev.coe.gateway.stub;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stubs' fault injections on the wire, read with a plain HTTP client rather than through langchain4j. */
class StubFaultInjectionTest {

    private static final String STREAM = "{\"model\":\"m\",\"stream\":true,\"messages\":[]}";
    private static final String NO_STREAM = "{\"model\":\"m\",\"stream\":false,\"messages\":[]}";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private <T> HttpResponse<T> post(String url, String body, HttpResponse.BodyHandler<T> handler) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build(), handler);
    }

    private HttpResponse<String> chat(OpenAiStubServer stub, String body) throws Exception {
        return post(stub.baseUrl() + "/chat/completions", body, HttpResponse.BodyHandlers.ofString());
    }

    /** The SSE data payloads of a stream, {@code [DONE]} excluded. */
    private static List<String> data(String body) {
        return Arrays.stream(body.split("\n")).filter(line -> line.startsWith("data: {"))
                .map(line -> line.substring(6)).toList();
    }

    @Test
    void should_pause_between_stream_chunks_when_dripping() throws Exception {
        try (OpenAiStubServer stub = new OpenAiStubServer()) {
            // given: 2 words, so role, 2 contents, finish and [DONE]: 5 chunks, 4 pauses
            stub.replyText("Hi there").dripChunks(Duration.ofMillis(60));

            // when
            long start = System.nanoTime();
            HttpResponse<InputStream> response = post(stub.baseUrl() + "/chat/completions", STREAM,
                    HttpResponse.BodyHandlers.ofInputStream());
            long headers = System.nanoTime() - start;
            String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            long all = System.nanoTime() - start;

            // then: the pauses all come after the headers (less a little for the headers' own way to the client)
            assertThat(Duration.ofNanos(all - headers)).isGreaterThanOrEqualTo(Duration.ofMillis(220));
            assertThat(data(body)).hasSize(4).allSatisfy(json -> assertThat(StubJson.parseOrNull(json)).isNotNull());
            assertThat(body).endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void should_send_headers_at_once_and_the_body_after_the_pause_when_dripping_a_completion() throws Exception {
        try (OllamaStubServer stub = new OllamaStubServer()) {
            // given
            stub.dripChunks(Duration.ofMillis(150));

            // when
            long start = System.nanoTime();
            HttpResponse<InputStream> response = post(stub.baseUrl() + "/api/chat", NO_STREAM,
                    HttpResponse.BodyHandlers.ofInputStream());
            long headers = System.nanoTime() - start;
            JsonNode body = StubJson.parseOrNull(new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
            long all = System.nanoTime() - start;

            // then
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(all - headers)).isGreaterThanOrEqualTo(Duration.ofMillis(130));
            assertThat(body.get("done").asBoolean()).isTrue();
        }
    }

    @Test
    void should_answer_200_with_a_body_that_is_not_json_when_malformed() throws Exception {
        try (AnthropicStubServer stub = new AnthropicStubServer()) {
            // given
            stub.replyMalformedJson();

            // when
            HttpResponse<String> malformed = post(stub.baseUrl() + "/messages", NO_STREAM, Map.of());
            HttpResponse<String> next = post(stub.baseUrl() + "/messages", NO_STREAM, Map.of());

            // then
            assertThat(malformed.statusCode()).isEqualTo(200);
            assertThat(malformed.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(malformed.body()).startsWith("{\"id\":\"msg_stub_");
            assertThat(StubJson.parseOrNull(malformed.body())).isNull();
            assertThat(StubJson.parseOrNull(next.body())).isNotNull();
        }
    }

    private HttpResponse<String> post(String url, String body, Map<String, String> extra) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("x-api-key", AnthropicStubServer.DEFAULT_API_KEY).header("anthropic-version", "2023-06-01");
        extra.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void should_spoil_exactly_one_event_in_the_middle_of_a_stream_when_malformed() throws Exception {
        try (OpenAiStubServer stub = new OpenAiStubServer()) {
            // given
            stub.replyText("one two three four").replyMalformedJson();

            // when
            HttpResponse<String> response = chat(stub, STREAM);

            // then: role, 4 contents, finish = 6 data events; the 4th of the 7 chunks ([DONE] counted) is cut
            List<String> events = data(response.body());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(events).hasSize(6);
            assertThat(events.stream().filter(json -> StubJson.parseOrNull(json) == null)).hasSize(1);
            assertThat(StubJson.parseOrNull(events.get(3))).isNull();
            assertThat(response.body()).endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void should_spoil_one_ndjson_line_of_an_ollama_stream_when_malformed() throws Exception {
        try (OllamaStubServer stub = new OllamaStubServer()) {
            // given
            stub.replyText("one two three").replyMalformedJson();

            // when
            HttpResponse<String> response = post(stub.baseUrl() + "/api/chat", STREAM, HttpResponse.BodyHandlers.ofString());

            // then
            List<String> lines = response.body().lines().toList();
            assertThat(lines).hasSize(4);
            assertThat(lines.stream().filter(line -> StubJson.parseOrNull(line) == null)).hasSize(1);
            assertThat(StubJson.parseOrNull(lines.getLast()).get("done").asBoolean()).isTrue();
        }
    }

    @Test
    void should_close_the_connection_without_a_status_line_after_reading_the_request_when_reset() throws Exception {
        try (OpenAiStubServer stub = new OpenAiStubServer()) {
            // given
            stub.resetBeforeFirstByte();

            // when / then: the JDK client sees EOF where the status line should be
            assertThatThrownBy(() -> chat(stub, NO_STREAM)).isInstanceOf(IOException.class)
                    .hasMessageContaining("header parser received no bytes");
            assertThat(stub.chatRequests()).hasSize(1);
            assertThat(chat(stub, NO_STREAM).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void should_combine_one_shot_faults_and_leave_the_queued_reply_to_the_faulted_call() throws Exception {
        try (OpenAiStubServer stub = new OpenAiStubServer()) {
            // given
            stub.replyText("first").replyText("second").replyMalformedJson().delayFirstByte(Duration.ofMillis(100));

            // when
            long start = System.nanoTime();
            HttpResponse<String> faulted = chat(stub, NO_STREAM);
            long took = System.nanoTime() - start;
            HttpResponse<String> clean = chat(stub, NO_STREAM);

            // then
            assertThat(Duration.ofNanos(took)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(StubJson.parseOrNull(faulted.body())).isNull();
            assertThat(StubJson.parseOrNull(clean.body()).at("/choices/0/message/content").asText()).isEqualTo("second");
        }
    }

    @Test
    void should_forget_pending_faults_on_reset() throws Exception {
        try (OpenAiStubServer stub = new OpenAiStubServer()) {
            // given
            stub.resetBeforeFirstByte().replyMalformedJson();

            // when
            stub.reset();

            // then
            assertThat(StubJson.parseOrNull(chat(stub, NO_STREAM).body())).isNotNull();
        }
    }

    @Test
    void should_refuse_a_negative_drip_interval() {
        try (OpenAiStubServer stub = new OpenAiStubServer()) {
            assertThatThrownBy(() -> stub.dripChunks(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
        }
    }
}
