package dev.coe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.coe.gateway.stub.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.coe.it.StubbedRouter.ANTHROPIC;
import static dev.coe.it.StubbedRouter.OLLAMA;
import static dev.coe.it.StubbedRouter.OPENAI;
import static dev.coe.it.StubbedRouter.ROUTER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The router driven end to end by the official OpenAI Java SDK, over real HTTP, against wire-faithful
 * stubs of each provider protocol: text, usage, routing headers and the {@code routing} object, and
 * the request fields as they reach the expert.
 */
class ChatCompletionsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CODING_PROMPT = "Write a Python function that reverses a linked list, with unit tests.";
    private static final String MATH_PROMPT = "Solve for x: 3x + 7 = 22. Show each algebra step.";
    private static final String WRITING_PROMPT = "Write a short poem about autumn leaves falling in a quiet park.";

    private static final OpenAIClient client = OpenAIOkHttpClient.builder()
            .baseUrl(ROUTER.baseUrl() + "/v1")
            .apiKey("not-needed-in-open-mode")
            .maxRetries(0)
            .build();

    @BeforeEach
    void resetStubs() {
        StubbedRouter.resetStubs();
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    private static ChatCompletionCreateParams.Builder ask(String model, String prompt) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt);
    }

    private static String header(HttpResponseFor<?> response, String name) {
        return response.headers().values(name).stream().findFirst().orElse(null);
    }

    @Test
    void should_route_coding_prompt_to_openai_expert_and_report_how_when_model_is_auto() {
        // given
        OPENAI.replyText("def reverse(head): ...").usage(21, 9);

        // when
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(ask("auto", CODING_PROMPT).build());
        ChatCompletion completion = raw.parse();

        // then
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(completion.choices().getFirst().message().content()).hasValue("def reverse(head): ...");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(21);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(9);
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(30);
        assertThat(header(raw, "x-coe-category")).isEqualTo("coding");
        assertThat(Double.parseDouble(header(raw, "x-coe-confidence"))).isBetween(0.0, 1.0);
        assertThat(header(raw, "x-coe-expert")).isEqualTo("coder");
        assertThat(Double.parseDouble(header(raw, "x-coe-route-ms"))).isGreaterThan(0.0);
        assertThat(header(raw, "x-coe-route-reason")).isEqualTo("category");
        assertThat(header(raw, "x-coe-attempts")).isEqualTo("coder=ok");
        assertThat(header(raw, "x-coe-simulated")).isNull();
        JsonNode routing = JSON.valueToTree(completion._additionalProperties().get("routing").convert(Object.class));
        assertThat(routing.path("category").asText()).isEqualTo("coding");
        assertThat(routing.path("expert").asText()).isEqualTo("coder");
        assertThat(routing.path("confidence").asDouble()).isEqualTo(Double.parseDouble(header(raw, "x-coe-confidence")), org.assertj.core.data.Offset.offset(1e-4));
        assertThat(routing.path("distribution").size()).isEqualTo(8);
        assertThat(routing.path("simulated").asBoolean()).isFalse();
        assertThat(routing.path("attempts").toString()).isEqualTo("[{\"expert\":\"coder\",\"outcome\":\"ok\"}]");
        assertThat(OPENAI.chatRequests()).hasSize(1);
    }

    @Test
    void should_pass_every_request_field_unchanged_when_expert_speaks_openai() throws Exception {
        // given
        Map<String, Object> cityParameters = Map.of(
                "type", "object",
                "properties", Map.of("city", Map.of("type", "string", "minLength", 2, "description", "City name"),
                        "unit", Map.of("type", "string", "enum", List.of("c", "f"))),
                "required", List.of("city"),
                "additionalProperties", false);
        Map<String, Object> answerSchema = Map.of("type", "object",
                "properties", Map.of("answer", Map.of("type", "integer", "minimum", 0)), "required", List.of("answer"));
        ChatCompletionCreateParams params = ask("coder", "What is the weather in Paris?")
                .addSystemMessage("You are terse.")
                .temperature(0.25).topP(0.5).maxTokens(77).stop("STOP-HERE").seed(42).user("user-7")
                .frequencyPenalty(0.1).presencePenalty(0.2).parallelToolCalls(false)
                .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                        .name("get_weather").description("Current weather")
                        .parameters(FunctionParameters.builder().putAllAdditionalProperties(jsonValues(cityParameters)).build())
                        .build()).build())
                .toolChoice(ChatCompletionNamedToolChoice.builder()
                        .function(ChatCompletionNamedToolChoice.Function.builder().name("get_weather").build()).build())
                .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                        .name("answer").schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                .putAllAdditionalProperties(jsonValues(answerSchema)).build()).build()).build())
                .build();

        // when
        client.chat().completions().create(params);

        // then
        JsonNode sent = OPENAI.lastRequest().json();
        assertThat(sent.path("model").asText()).isEqualTo("stub-gpt");
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.25);
        assertThat(sent.path("top_p").asDouble()).isEqualTo(0.5);
        assertThat(sent.has("max_tokens") ? sent.path("max_tokens").asInt() : sent.path("max_completion_tokens").asInt()).isEqualTo(77);
        assertThat(sent.path("stop").toString()).contains("STOP-HERE");
        assertThat(sent.path("seed").asLong()).isEqualTo(42);
        assertThat(sent.path("user").asText()).isEqualTo("user-7");
        assertThat(sent.path("frequency_penalty").asDouble()).isEqualTo(0.1);
        assertThat(sent.path("presence_penalty").asDouble()).isEqualTo(0.2);
        assertThat(sent.path("parallel_tool_calls").asBoolean(true)).isFalse();
        assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo("What is the weather in Paris?");
        assertThat(sent.path("messages").get(1).path("role").asText()).isEqualTo("system");
        JsonNode tool = sent.path("tools").get(0).path("function");
        assertThat(tool.path("name").asText()).isEqualTo("get_weather");
        assertThat(tool.path("parameters")).isEqualTo(JSON.valueToTree(cityParameters));
        assertThat(sent.path("tool_choice").path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(sent.path("response_format").path("type").asText()).isEqualTo("json_schema");
        assertThat(sent.path("response_format").path("json_schema").path("schema")).isEqualTo(JSON.valueToTree(answerSchema));
    }

    @Test
    void should_stream_text_and_usage_when_client_streams_with_include_usage() {
        // given
        OPENAI.replyText("Here is a reversed list in three chunks of text").usage(11, 5);
        ChatCompletionCreateParams params = ask("auto", CODING_PROMPT)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();

        // when
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        String expert;
        String reason;
        try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw =
                     client.chat().completions().withRawResponse().createStreaming(params);
             StreamResponse<ChatCompletionChunk> stream = raw.parse()) {
            expert = header(raw, "x-coe-expert");
            reason = header(raw, "x-coe-route-reason");
            stream.stream().forEach(chunks::add);
        }

        // then
        assertThat(expert).isEqualTo("coder");
        assertThat(reason).isEqualTo("category");
        assertThat(text(chunks)).isEqualTo("Here is a reversed list in three chunks of text");
        assertThat(chunks.stream().filter(c -> c.usage().isPresent()).toList()).singleElement()
                .satisfies(c -> {
                    assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(11);
                    assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(5);
                    assertThat(c.choices()).isEmpty();
                });
        assertThat(chunks).anySatisfy(c -> assertThat(c.choices()).anySatisfy(ch ->
                assertThat(ch.finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.STOP)));
        assertThat(OPENAI.lastRequest().streaming()).isTrue();
    }

    @Test
    void should_keep_a_quiet_stream_open_with_comments_that_the_sdk_ignores() throws Exception {
        // given: an expert that pauses between chunks for longer than the router's keep-alive
        String answer = "Hmm. Reversed in place.";
        Duration pause = StubbedRouter.STREAM_KEEP_ALIVE.multipliedBy(2);
        OPENAI.replyText(answer).dripChunks(pause);

        // when: the SDK reads one stream, and a raw client the other
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(ask("coder", CODING_PROMPT).build())) {
            stream.stream().forEach(chunks::add);
        }
        OPENAI.dripChunks(pause); // for the next call only
        String body = JSON.writeValueAsString(Map.of("model", "coder", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", CODING_PROMPT))));
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(ROUTER.baseUrl() + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        // then: the comments were on the wire between events, and the SDK gave the whole answer without them
        assertThat(raw.body()).contains("\n\n: keep-alive\n\ndata: ").endsWith("data: [DONE]\n\n");
        assertThat(text(chunks)).isEqualTo(answer);
    }

    @Test
    void should_answer_from_ollama_expert_when_prompt_is_math_streaming_and_not() {
        // given
        OLLAMA.replyText("x = 5").usage(14, 3);

        // when
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(ask("auto", MATH_PROMPT).build());
        OLLAMA.replyText("x equals five");
        String streamed;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(ask("mathematician", MATH_PROMPT).temperature(0.0).build())) {
            streamed = text(stream.stream().toList());
        }

        // then
        assertThat(header(raw, "x-coe-category")).isEqualTo("math");
        assertThat(header(raw, "x-coe-expert")).isEqualTo("mathematician");
        ChatCompletion completion = raw.parse();
        assertThat(completion.choices().getFirst().message().content()).hasValue("x = 5");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(14);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(3);
        assertThat(streamed).isEqualTo("x equals five");
        RecordedRequest sent = OLLAMA.lastRequest();
        assertThat(sent.path()).isEqualTo("/api/chat");
        assertThat(sent.json().path("model").asText()).isEqualTo("stub-llama");
        assertThat(sent.json().path("options").path("temperature").asDouble(-1)).isEqualTo(0.0);
        assertThat(sent.json().path("messages").get(0).path("content").asText()).isEqualTo(MATH_PROMPT);
    }

    @Test
    void should_answer_from_anthropic_expert_with_key_from_environment_when_prompt_is_writing() {
        // given
        ANTHROPIC.replyText("Leaves drift, amber and slow.").usage(17, 8);

        // when
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse()
                .create(ask("auto", WRITING_PROMPT).addSystemMessage("Answer in one line.").maxTokens(100).build());
        ANTHROPIC.replyText("Golden, falling, still.");
        String streamed;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(ask("writer", WRITING_PROMPT).build())) {
            streamed = text(stream.stream().toList());
        }

        // then
        assertThat(header(raw, "x-coe-category")).isEqualTo("writing");
        assertThat(header(raw, "x-coe-expert")).isEqualTo("writer");
        ChatCompletion completion = raw.parse();
        assertThat(completion.choices().getFirst().message().content()).hasValue("Leaves drift, amber and slow.");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(17);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(8);
        assertThat(streamed).isEqualTo("Golden, falling, still.");
        RecordedRequest first = ANTHROPIC.chatRequests().getFirst();
        assertThat(first.path()).endsWith("/messages");
        assertThat(first.header("x-api-key")).isEqualTo("stub-anthropic-key");
        assertThat(first.json().path("max_tokens").asInt()).isEqualTo(100);
        assertThat(first.json().path("system").toString()).contains("Answer in one line.");
    }

    @Test
    void should_return_tool_calls_when_expert_calls_a_tool_streaming_and_not() {
        // given
        OPENAI.replyToolCall("get_weather", "{\"city\":\"Paris\"}");
        ChatCompletionFunctionTool tool = ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                .name("get_weather").parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build()).build()).build();

        // when
        ChatCompletion completion = client.chat().completions().create(ask("coder", "weather in Paris?").addTool(tool).build());
        OPENAI.replyToolCall("get_weather", "{\"city\":\"Lyon\"}");
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(ask("coder", "weather in Lyon?").addTool(tool).build())) {
            chunks = stream.stream().toList();
        }

        // then
        ChatCompletionMessageToolCall call = completion.choices().getFirst().message().toolCalls().orElseThrow().getFirst();
        assertThat(call.asFunction().function().name()).isEqualTo("get_weather");
        assertThat(call.asFunction().function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        StringBuilder arguments = new StringBuilder();
        List<String> names = new ArrayList<>();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().toolCalls().ifPresent(calls -> calls.forEach(tc -> {
            tc.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::name).ifPresent(names::add);
            tc.function().flatMap(ChatCompletionChunk.Choice.Delta.ToolCall.Function::arguments).ifPresent(arguments::append);
        }))));
        assertThat(names).containsExactly("get_weather");
        assertThat(arguments.toString()).isEqualTo("{\"city\":\"Lyon\"}");
    }

    @Test
    void should_fall_back_to_next_expert_and_list_attempts_when_first_expert_is_unreachable() {
        // given
        OPENAI.replyText("Both statements cannot be true at once.");

        // when
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(ask("auto",
                "If all bloops are razzies and all razzies are lazzies, are all bloops definitely lazzies? Explain the logic step by step.").build());

        // then
        assertThat(header(raw, "x-coe-category")).isEqualTo("reasoning");
        assertThat(header(raw, "x-coe-expert")).isEqualTo("coder");
        assertThat(header(raw, "x-coe-attempts")).isEqualTo("dead=unreachable,coder=ok");
        assertThat(raw.parse().choices().getFirst().message().content()).hasValue("Both statements cannot be true at once.");
    }

    @Test
    void should_list_router_models_and_every_expert_when_listing_models() {
        // when
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();

        // then
        assertThat(ids).containsExactlyInAnyOrder("auto", "coe-router", "coder", "mathematician", "writer", "dead", "slow");
    }

    private static String text(List<ChatCompletionChunk> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        return text.toString();
    }

    private static Map<String, JsonValue> jsonValues(Map<String, Object> map) {
        Map<String, JsonValue> values = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> values.put(k, JsonValue.from(v)));
        return values;
    }

}
