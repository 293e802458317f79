package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static dev.coe.it.StubbedRouter.ROUTER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every field of a chat request, and the fields inside its messages, tools and response format, set in turn to each
 * of the {@link EdgeValues} (wrong types, numbers out of range, empty, control-character and huge strings), then a few
 * hundred random mixes of them from a fixed seed. Whatever the router makes of a request, it must not be an internal
 * error: each answer is a 2xx, or an error in OpenAI's shape with a 4xx (or the 502/503/504 of an expert that could
 * not answer). The cases that once gave a 500 (a schema name that was an array, an empty system message) are named in
 * {@link BadInputIT}; this finds the ones nobody thought of.
 */
class MalformedRequestFuzzIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final long SEED = 20261206L;
    private static final int RANDOM_MIXES = 250;

    private static final List<String> FIELDS = List.of("model", "messages", "temperature", "top_p", "max_tokens",
            "max_completion_tokens", "stop", "seed", "n", "user", "stream", "stream_options", "tools", "tool_choice",
            "response_format", "frequency_penalty", "presence_penalty", "parallel_tool_calls", "logprobs");
    private static final List<String> MESSAGE_FIELDS = List.of("role", "content", "name", "tool_calls", "tool_call_id");

    /** {@code auto}, and the experts of {@link StubbedRouter}'s OpenAI, Ollama and Anthropic stubs. */
    private static final List<String> MODELS = List.of("auto", "coder", "mathematician", "writer");

    /** Problems found, one line each, so that a failure lists them all. */
    private final List<String> problems = new ArrayList<>();

    /** Requests built so far; picks each request's model. */
    private int built;

    @BeforeEach
    void resetStubs() {
        StubbedRouter.resetStubs();
    }

    @Test
    void should_never_answer_an_internal_error_when_any_field_has_a_wrong_type_or_an_edge_value() throws Exception {
        List<JsonNode> values = EdgeValues.all();
        for (JsonNode v : values) {
            for (String field : FIELDS) {
                send(valid(b -> b.set(field, v)));
            }
            for (String field : MESSAGE_FIELDS) {
                send(valid(b -> ((ObjectNode) b.path("messages").get(0)).set(field, v)));
            }
            send(valid(b -> b.set("messages", NODES.arrayNode().add(v))));
            send(valid(b -> b.set("messages", NODES.arrayNode().add(message("system", v)).add(message("user", NODES.textNode("hi"))))));
            send(valid(b -> ((ObjectNode) b.path("messages").get(0)).set("content",
                    NODES.arrayNode().add(NODES.objectNode().put("type", "text").set("text", v)))));
            send(valid(b -> ((ObjectNode) b.path("messages").get(0)).set("content",
                    NODES.arrayNode().add(NODES.objectNode().set("type", v)))));
            for (String fnField : List.of("name", "description", "strict", "parameters")) {
                send(valid(b -> {
                    ObjectNode fn = NODES.objectNode().put("name", "f");
                    fn.set(fnField, v);
                    b.set("tools", NODES.arrayNode().add(NODES.objectNode().put("type", "function").set("function", fn)));
                }));
            }
            for (String schemaField : List.of("required", "description", "properties", "additionalProperties", "$defs")) {
                send(valid(b -> {
                    ObjectNode schema = NODES.objectNode().put("type", "object");
                    schema.set(schemaField, schemaField.equals("required") ? NODES.arrayNode().add(v) : v);
                    b.set("tools", NODES.arrayNode().add(NODES.objectNode().put("type", "function")
                            .set("function", NODES.objectNode().put("name", "f").set("parameters", schema))));
                }));
            }
            for (String specField : List.of("name", "schema", "strict", "description")) {
                send(valid(b -> {
                    ObjectNode spec = NODES.objectNode().put("name", "answer");
                    spec.set("schema", NODES.objectNode().put("type", "object"));
                    spec.set(specField, v);
                    b.set("response_format", NODES.objectNode().put("type", "json_schema").set("json_schema", spec));
                }));
            }
            send(valid(b -> b.set("messages", NODES.arrayNode()
                    .add(NODES.objectNode().put("role", "assistant").putNull("content").set("tool_calls", NODES.arrayNode()
                            .add(NODES.objectNode().put("id", "a").put("type", "function").set("function", NODES.objectNode()
                                    .put("name", "f").set("arguments", v)))))
                    .add(message("tool", v).put("tool_call_id", "a"))
                    .add(message("user", NODES.textNode("hi"))))));
        }
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < RANDOM_MIXES; i++) {
            send(valid(b -> {
                for (int changes = 1 + random.nextInt(4); changes > 0; changes--) {
                    JsonNode v = values.get(random.nextInt(values.size()));
                    if (random.nextBoolean()) {
                        b.set(FIELDS.get(random.nextInt(FIELDS.size())), v);
                    } else if (b.path("messages").path(0).isObject()) {
                        ((ObjectNode) b.path("messages").get(0)).set(MESSAGE_FIELDS.get(random.nextInt(MESSAGE_FIELDS.size())), v);
                    }
                }
            }));
        }

        assertThat(problems).as("answers that were internal errors or not in OpenAI's shape").isEmpty();
        // and whatever the router passed on, every expert got well-formed JSON (a tool call's free-form arguments once
        // reached Anthropic as a bare token inside "input")
        for (var stub : List.of(StubbedRouter.OPENAI, StubbedRouter.OLLAMA, StubbedRouter.ANTHROPIC)) {
            assertThat(stub.chatRequests()).as("requests sent to an expert").isNotEmpty()
                    .allSatisfy(r -> assertThat(r.json()).as("JSON body of %s", abbreviate(r.body())).isNotNull());
        }
    }

    private static ObjectNode message(String role, JsonNode content) {
        ObjectNode m = NODES.objectNode().put("role", role);
        m.set("content", content);
        return m;
    }

    /**
     * A valid request, then changed. The model takes turns between the classifier ({@code auto}) and each stub's
     * expert by id, so that every provider's request writer gets the fuzzed traffic whatever category the
     * classifier gives the prompt.
     */
    private ObjectNode valid(Consumer<ObjectNode> change) {
        String model = MODELS.get(built++ % MODELS.size());
        ObjectNode body = NODES.objectNode().put("model", model).put("temperature", 0);
        ArrayNode messages = body.putArray("messages");
        messages.add(message("user", NODES.textNode("Write a haiku about Rust")));
        change.accept(body);
        return body;
    }

    private void send(ObjectNode body) throws IOException, InterruptedException {
        String text = JSON.writeValueAsString(body);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ROUTER.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        String problem = null;
        if (status == 500 || status >= 505 || (status >= 300 && status < 400)) {
            problem = "status " + status;
        } else if (status >= 400) {
            try {
                JsonNode error = JSON.readTree(response.body()).path("error");
                if (!error.path("message").isTextual() || !error.has("type") || !error.has("param") || !error.has("code")) {
                    problem = "not OpenAI's error shape";
                }
            } catch (IOException notJson) {
                problem = "error body is not JSON";
            }
        }
        if (problem != null) {
            problems.add(problem + ": " + abbreviate(text) + " -> " + abbreviate(response.body()));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
