package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.coe.it.StubbedRouter.OPENAI;
import static dev.coe.it.StubbedRouter.ROUTER;
import static dev.coe.it.StubbedRouter.SLOW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input and failing experts over raw HTTP: each gets the documented status and OpenAI error shape,
 * no connection hangs (every call has a client timeout), and the router keeps serving afterwards.
 */
class BadInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void resetStubs() {
        StubbedRouter.resetStubs();
    }

    private static HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(ROUTER.baseUrl() + "/v1/chat/completions"))
                .timeout(CLIENT_TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode error(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.isObject()).as("OpenAI error object in %s", response.body()).isTrue();
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.has("type")).isTrue();
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
        return error;
    }

    private static void assertStillServing() throws Exception {
        OPENAI.replyText("still here");
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(ROUTER.baseUrl() + "/v1/chat/completions"))
                .timeout(CLIENT_TIMEOUT).header("Content-Type", "application/json").header("x-request-id", "trace-42")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"coder\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("still here");
        assertThat(ok.headers().firstValue("x-request-id")).hasValue("trace-42");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON     | 400 | {\"model\":\"auto\",\"messages\":[                                      | ",
            "wrong type         | 400 | {\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"warm\"} | temperature",
            "empty messages     | 400 | {\"model\":\"auto\",\"messages\":[]}                                   | messages",
            "unknown role       | 400 | {\"model\":\"auto\",\"messages\":[{\"role\":\"oracle\",\"content\":\"hi\"}]} | messages[0].role",
            "unknown parameter  | 400 | {\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"best_of\":3} | best_of",
            "unknown model      | 404 | {\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | model",
            "seed to anthropic  | 400 | {\"model\":\"writer\",\"seed\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | seed",
            "schema name array  | 400 | {\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":[],\"schema\":{\"type\":\"object\"}}}} | response_format.json_schema",
            "tool description   | 400 | {\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":{}}}]} | tools[0].function.description",
            "tool strict        | 400 | {\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"strict\":[]}}]} | tools[0].function.strict",
            "free-form tool arguments to anthropic | 400 | {\"model\":\"writer\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"Paris\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"sunny\"}]} | messages[].tool_calls[].function.arguments",
            "required not names | 400 | {\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\",\"required\":[[]]}}}]} | tools[0].function.parameters.required",
    })
    void should_answer_with_status_and_openai_error_when_input_is_bad(String why, int status, String body, String param) throws Exception {
        // when
        HttpResponse<String> response = post(body);

        // then
        assertThat(response.statusCode()).as(why + ": " + response.body()).isEqualTo(status);
        JsonNode error = error(response);
        assertThat(error.path("param").isNull() ? null : error.path("param").asText()).isEqualTo(param);
        assertThat(OPENAI.chatRequests()).as("no expert called for bad input").isEmpty();
        assertThat(response.headers().firstValue("x-request-id")).as("request id on errors too").isPresent();
        assertStillServing();
    }

    @Test
    void should_answer_413_without_reading_it_all_when_body_is_over_the_limit() throws Exception {
        // given
        String huge = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(StubbedRouter.MAX_REQUEST_BYTES * 2) + "\"}]}";

        // when
        HttpResponse<String> response = post(huge);

        // then
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(error(response).path("code").asText()).isEqualTo("request_too_large");
        assertStillServing();
    }

    @Test
    void should_end_stream_with_error_event_when_expert_drops_connection_mid_stream() throws Exception {
        // given
        OPENAI.replyText("one two three four five six seven eight").dropConnectionAfterChunks(2);

        // when
        HttpResponse<String> response = post("{\"model\":\"coder\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}");

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> events = response.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(events).doesNotContain("[DONE]");
        assertThat(events.stream().filter(e -> e.contains("\"content\"") && !e.contains("\"content\":\"\"")).count()).isGreaterThanOrEqualTo(1);
        JsonNode last = JSON.readTree(events.getLast());
        assertThat(last.path("error").path("code").asText()).isEqualTo("expert_stream_failed");
        assertThat(last.path("error").path("message").asText()).contains("coder");
        assertStillServing();
    }

    @Test
    void should_answer_503_naming_every_expert_tried_when_none_is_available() throws Exception {
        // when
        HttpResponse<String> response = post("{\"model\":\"dead\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        // then
        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode error = error(response);
        assertThat(error.path("code").asText()).isEqualTo("no_expert_available");
        assertThat(error.path("message").asText()).contains("dead").contains("unreachable");
        assertThat(response.headers().firstValue("x-coe-attempts")).hasValue("dead=unreachable");
        assertStillServing();
    }

    @Test
    void should_answer_504_when_expert_does_not_answer_within_its_timeout() throws Exception {
        // given
        SLOW.hang();

        // when
        HttpResponse<String> plain = post("{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        SLOW.hang();
        HttpResponse<String> streamed = post("{\"model\":\"slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        // then
        assertThat(plain.statusCode()).isEqualTo(504);
        assertThat(error(plain).path("code").asText()).isEqualTo("upstream_timeout");
        assertThat(streamed.statusCode()).isEqualTo(504);
        assertThat(error(streamed).path("message").asText()).contains("slow");
        assertStillServing();
    }

    @Test
    void should_answer_400_in_openai_shape_when_tomcat_refuses_the_path() throws Exception {
        // Tomcat refuses an encoded slash before Spring sees the request; its own answer would be an HTML page.
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ROUTER.baseUrl() + "/v1/models/a%2Fb"))
                .timeout(CLIENT_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response).path("message").asText()).contains("Invalid URI");
        assertStillServing();
    }

    @Test
    void should_answer_400_in_openai_shape_when_a_chunked_body_breaks_off() throws Exception {
        // given a body whose chunked encoding is broken (no HTTP client sends one, so the bytes go over a plain socket)
        String request = "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{\"model\":\"auto\"}\r\n";
        URI base = URI.create(ROUTER.baseUrl());
        String answer;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) CLIENT_TIMEOUT.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // when the router answers and closes the connection
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        // then a 400 in OpenAI's shape, not Spring's {"timestamp", "status", "error", "path"}
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).contains("\"error\":{\"message\":").contains("\"type\":\"invalid_request_error\"")
                .doesNotContain("timestamp");
        assertThat(OPENAI.chatRequests()).isEmpty();
        assertStillServing();
    }

    @Test
    void should_answer_404_in_openai_shape_when_the_error_page_is_asked_for() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ROUTER.baseUrl() + "/error"))
                .timeout(CLIENT_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(error(response).path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void should_leave_out_an_empty_system_message_when_a_client_sends_one() throws Exception {
        // given some clients send an empty system prompt, which OpenAI accepts
        OPENAI.replyText("fine");

        // when
        HttpResponse<String> response = post("{\"model\":\"coder\",\"messages\":[{\"role\":\"system\",\"content\":\"\"},"
                + "{\"role\":\"user\",\"content\":\"hello\"}]}");

        // then it is answered, and the expert gets the conversation without the message that said nothing
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode sent = OPENAI.chatRequests().getFirst().json().path("messages");
        assertThat(sent.size()).isEqualTo(1);
        assertThat(sent.path(0).path("role").asText()).isEqualTo("user");
        assertThat(sent.path(0).path("content").asText()).isEqualTo("hello");
    }

    @Test
    void should_answer_405_in_openai_shape_when_method_is_wrong() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ROUTER.baseUrl() + "/v1/chat/completions"))
                .timeout(CLIENT_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        error(response);
        assertThat(response.headers().firstValue("x-request-id")).as("request id on errors too").isPresent();
    }

    @Test
    void should_give_every_v1_answer_a_request_id_when_no_controller_writes_it() throws Exception {
        // when a path the router does not serve, the models list, and a body too large are asked for, with the client's id
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(ROUTER.baseUrl() + "/v1/completions"))
                .timeout(CLIENT_TIMEOUT).header("x-request-id", "trace-404").POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(ROUTER.baseUrl() + "/v1/models"))
                .timeout(CLIENT_TIMEOUT).header("x-request-id", "trace-models").GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> huge = http.send(HttpRequest.newBuilder(URI.create(ROUTER.baseUrl() + "/v1/chat/completions"))
                .timeout(CLIENT_TIMEOUT).header("Content-Type", "application/json").header("x-request-id", "trace-413")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\""
                        + "a".repeat(StubbedRouter.MAX_REQUEST_BYTES * 2) + "\"}]}")).build(), HttpResponse.BodyHandlers.ofString());

        // then each answer carries it
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("x-request-id")).hasValue("trace-404");
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(models.headers().firstValue("x-request-id")).hasValue("trace-models");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(huge.headers().firstValue("x-request-id")).hasValue("trace-413");
    }
}
