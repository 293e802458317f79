package dev.coe.gateway.cache;

import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.ProviderKind;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ToolChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.coe.gateway.cache.CacheFixtures.EXPERT;
import static dev.coe.gateway.cache.CacheFixtures.answerFormat;
import static dev.coe.gateway.cache.CacheFixtures.conversation;
import static dev.coe.gateway.cache.CacheFixtures.everyOptionSet;
import static dev.coe.gateway.cache.CacheFixtures.responseFormat;
import static dev.coe.gateway.cache.CacheFixtures.timeTool;
import static dev.coe.gateway.cache.CacheFixtures.weatherTool;
import static org.assertj.core.api.Assertions.assertThat;

class CacheKeyTest {

    /** Fields of {@link ExpertRequest} that do not change the answer, and so stay out of the key. */
    private static final List<String> NOT_IN_KEY = List.of("user");

    /**
     * For every field of {@link ExpertRequest}, a value other than the one {@link CacheFixtures#everyOptionSet()}
     * has. A field added to the record without an entry here fails {@link #should_miss_when_any_field_changes}.
     */
    private static final Map<String, Object> CHANGED = Map.ofEntries(
            Map.entry("messages", conversation("{\"city\":\"Paris\",\"days\":3}")),
            Map.entry("temperature", 0.5),
            Map.entry("topP", 0.8),
            Map.entry("maxTokens", 101),
            Map.entry("stop", List.of("STOP", "END")),
            Map.entry("seed", 43L),
            Map.entry("user", "bob"),
            Map.entry("frequencyPenalty", 0.2),
            Map.entry("presencePenalty", 0.4),
            Map.entry("tools", List.of(timeTool(), weatherTool(false))),
            Map.entry("toolChoice", ToolChoice.AUTO),
            Map.entry("toolChoiceFunction", "get_time"),
            Map.entry("parallelToolCalls", false),
            Map.entry("responseFormat", ResponseFormat.JSON));

    @Test
    void should_hit_when_json_keys_are_reordered() {
        // given: the same tools, response schema and tool call arguments, written in another key order
        ExpertRequest first = ExpertRequest.builder(conversation("{\"city\":\"Paris\",\"when\":{\"day\":1,\"hour\":9}}"))
                .temperature(0.0)
                .tools(List.of(weatherTool(false), timeTool()))
                .responseFormat(answerFormat(false))
                .build();
        ExpertRequest second = ExpertRequest.builder(conversation(" { \"when\": {\"hour\": 9, \"day\": 1}, \"city\": \"Paris\" } "))
                .temperature(0.0)
                .tools(List.of(weatherTool(true), timeTool()))
                .responseFormat(answerFormat(true))
                .build();
        assertThat(first.tools().getFirst().parameters().properties().keySet())
                .containsExactly("city", "days", "where");
        assertThat(second.tools().getFirst().parameters().properties().keySet())
                .containsExactly("where", "days", "city");

        // when
        CacheKey a = CacheKey.of(EXPERT, first);
        CacheKey b = CacheKey.of(EXPERT, second);

        // then
        assertThat(a).isEqualTo(b);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        assertThat(CacheKey.canonicalForm(EXPERT, first)).isEqualTo(CacheKey.canonicalForm(EXPERT, second));
    }

    @Test
    void should_be_a_versioned_sha256_of_the_canonical_form() {
        // when
        CacheKey key = CacheKey.of(EXPERT, everyOptionSet());
        String form = CacheKey.canonicalForm(EXPERT, everyOptionSet());

        // then
        assertThat(key.value()).matches("[0-9a-f]{64}");
        assertThat(form).startsWith("coe-cache-key/v1\n");
        assertThat(key.value()).isEqualTo(sha256(form));
        assertThat(key.toString()).isEqualTo("CacheKey[" + key.value().substring(0, 12) + "]");
    }

    @Test
    void should_give_the_same_key_to_the_same_request_every_time() {
        assertThat(CacheKey.of(EXPERT, everyOptionSet())).isEqualTo(CacheKey.of(EXPERT, everyOptionSet()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestFields")
    void should_miss_when_any_field_changes(String field) {
        // given
        assertThat(CHANGED).as("a changed value for ExpertRequest.%s; decide whether it affects the answer", field)
                .containsKey(field);
        ExpertRequest base = everyOptionSet();
        ExpertRequest changed = withField(base, field, CHANGED.get(field));
        assertThat(changed).isNotEqualTo(base);

        // when
        CacheKey before = CacheKey.of(EXPERT, base);
        CacheKey after = CacheKey.of(EXPERT, changed);

        // then
        if (NOT_IN_KEY.contains(field)) {
            assertThat(after).isEqualTo(before);
        } else {
            assertThat(after).isNotEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullableFields")
    void should_miss_when_an_option_is_unset(String field) {
        // given
        ExpertRequest base = everyOptionSet();
        ExpertRequest unset = withField(base, field, null);

        // when
        CacheKey before = CacheKey.of(EXPERT, base);
        CacheKey after = CacheKey.of(EXPERT, unset);

        // then
        if (NOT_IN_KEY.contains(field)) {
            assertThat(after).isEqualTo(before);
        } else {
            assertThat(after).isNotEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deepChanges")
    void should_miss_when_something_inside_the_request_changes(String change, UnaryOperator<ExpertRequest> edit) {
        // given
        ExpertRequest base = everyOptionSet();

        // when
        CacheKey before = CacheKey.of(EXPERT, base);
        CacheKey after = CacheKey.of(EXPERT, edit.apply(base));

        // then
        assertThat(after).as(change).isNotEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherExperts")
    void should_miss_when_the_expert_differs(String change, ExpertConfig other) {
        assertThat(CacheKey.of(other, everyOptionSet())).isNotEqualTo(CacheKey.of(EXPERT, everyOptionSet()));
    }

    @Test
    void should_miss_when_the_same_text_comes_from_another_role() {
        // given
        ExpertRequest fromUser = ExpertRequest.builder(List.of(UserMessage.from("x"))).temperature(0.0).build();
        ExpertRequest fromSystem = ExpertRequest.builder(List.<ChatMessage>of(SystemMessage.from("x"))).temperature(0.0).build();
        ExpertRequest fromAssistant = ExpertRequest.builder(List.<ChatMessage>of(AiMessage.from("x"))).temperature(0.0).build();

        // then
        assertThat(List.of(CacheKey.of(EXPERT, fromUser), CacheKey.of(EXPERT, fromSystem), CacheKey.of(EXPERT, fromAssistant)))
                .doesNotHaveDuplicates();
    }

    @Test
    void should_tell_json_arguments_from_the_same_text_that_is_not_json() {
        // given: "abc" as a JSON string, abc that does not parse, and JSON followed by something else
        List<String> arguments = List.of("\"abc\"", "abc", "{}", "{} x", "{} y", "");

        // when
        List<CacheKey> keys = arguments.stream()
                .map(a -> CacheKey.of(EXPERT, ExpertRequest.builder(conversation(a)).temperature(0.0).build()))
                .toList();

        // then
        assertThat(keys).doesNotHaveDuplicates();
    }

    @Test
    void should_hit_when_text_content_is_given_as_a_part() {
        // given
        ExpertRequest plain = ExpertRequest.builder(List.of(UserMessage.from("x"))).temperature(0.0).build();
        ExpertRequest part = ExpertRequest.builder(List.of(UserMessage.from(TextContent.from("x")))).temperature(0.0).build();

        // then
        assertThat(CacheKey.of(EXPERT, part)).isEqualTo(CacheKey.of(EXPERT, plain));
    }

    @Test
    void should_hit_when_the_response_format_is_text_or_unset() {
        // given
        ExpertRequest unset = ExpertRequest.builder(List.of(UserMessage.from("x"))).temperature(0.0).build();
        ExpertRequest text = ExpertRequest.builder(List.of(UserMessage.from("x"))).temperature(0.0)
                .responseFormat(ResponseFormat.TEXT).build();

        // then
        assertThat(CacheKey.of(EXPERT, text)).isEqualTo(CacheKey.of(EXPERT, unset));
    }

    static Stream<String> requestFields() {
        return Arrays.stream(ExpertRequest.class.getRecordComponents()).map(RecordComponent::getName);
    }

    /** Options that can be unset (null); lists and messages cannot. */
    static Stream<String> nullableFields() {
        return Arrays.stream(ExpertRequest.class.getRecordComponents())
                .filter(c -> !List.class.isAssignableFrom(c.getType()))
                .map(RecordComponent::getName);
    }

    static Stream<Arguments> deepChanges() {
        return Stream.of(
                change("message role: user question as a system message", r -> withMessage(r, 1, SystemMessage.from("What is the weather in Paris?"))),
                change("user message name", r -> withMessage(r, 1, UserMessage.from("bob", "What is the weather in Paris?"))),
                change("user message without a name", r -> withMessage(r, 1, UserMessage.from("What is the weather in Paris?"))),
                change("tool call id", r -> withMessage(r, 2, AiMessage.from(List.of(call("call_2", "get_weather", "{\"city\":\"Paris\",\"days\":2}"))))),
                change("tool call name", r -> withMessage(r, 2, AiMessage.from(List.of(call("call_1", "get_time", "{\"city\":\"Paris\",\"days\":2}"))))),
                change("assistant text beside the tool call", r -> withMessage(r, 2, AiMessage.from("Let me look.", List.of(call("call_1", "get_weather", "{\"city\":\"Paris\",\"days\":2}"))))),
                change("tool result text", r -> withMessage(r, 3, ToolExecutionResultMessage.from("call_1", "get_weather", "19 degrees"))),
                change("tool result id", r -> withMessage(r, 3, ToolExecutionResultMessage.from("call_9", "get_weather", "18 degrees and sunny"))),
                change("one more message", r -> withField(r, "messages", append(r.messages(), UserMessage.from("Thanks")))),
                change("tool description", r -> withField(r, "tools", List.of(weatherTool(properties(), "Weather", "city"), timeTool()))),
                change("tool property keyword", r -> withField(r, "tools", List.of(weatherTool(withMaximum(15), "Current weather of a city", "city"), timeTool()))),
                change("tool required property", r -> withField(r, "tools", List.of(weatherTool(properties(), "Current weather of a city", "days"), timeTool()))),
                change("one tool fewer", r -> withField(r, "tools", List.of(weatherTool(false)))),
                change("response schema keyword", r -> withField(r, "responseFormat", responseFormat("answer",
                        "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"},\"confidence\":{\"type\":\"number\","
                                + "\"minimum\":0,\"maximum\":100}},\"required\":[\"answer\",\"confidence\"],\"additionalProperties\":false}"))),
                change("response schema name", r -> withField(r, "responseFormat", responseFormat("reply",
                        "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"},\"confidence\":{\"type\":\"number\","
                                + "\"minimum\":0,\"maximum\":1}},\"required\":[\"answer\",\"confidence\"],\"additionalProperties\":false}"))),
                change("temperature a hair above 0", r -> withField(r, "temperature", 1e-9)));
    }

    static Stream<Arguments> otherExperts() {
        return Stream.of(
                Arguments.of("expert id", ExpertConfig.builder("other-moe").provider(ProviderKind.OPENAI_COMPATIBLE)
                        .baseUrl(EXPERT.baseUrl().toString()).model(EXPERT.model()).build()),
                Arguments.of("upstream model", EXPERT.toBuilder().model("Qwen/Qwen3-32B").build()),
                Arguments.of("base URL", EXPERT.toBuilder().baseUrl("http://gpu-2:8000/v1").build()),
                Arguments.of("provider", EXPERT.toBuilder().provider(ProviderKind.OLLAMA).build()));
    }

    private static Arguments change(String name, UnaryOperator<ExpertRequest> edit) {
        return Arguments.of(name, edit);
    }

    /** A copy of {@code request} with one record component replaced, through the canonical constructor. */
    static ExpertRequest withField(ExpertRequest request, String field, Object value) {
        try {
            RecordComponent[] components = ExpertRequest.class.getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = components[i].getName().equals(field) ? value : components[i].getAccessor().invoke(request);
            }
            return ExpertRequest.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot copy ExpertRequest with a new " + field, e);
        }
    }

    private static ExpertRequest withMessage(ExpertRequest request, int index, ChatMessage message) {
        List<ChatMessage> messages = new ArrayList<>(request.messages());
        messages.set(index, message);
        return withField(request, "messages", messages);
    }

    private static List<ChatMessage> append(List<ChatMessage> messages, ChatMessage message) {
        List<ChatMessage> out = new ArrayList<>(messages);
        out.add(message);
        return out;
    }

    private static ToolExecutionRequest call(String id, String name, String arguments) {
        return ToolExecutionRequest.builder().id(id).name(name).arguments(arguments).build();
    }

    private static Map<String, String> properties() {
        return withMaximum(14);
    }

    private static Map<String, String> withMaximum(int maximum) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("city", "{\"type\":\"string\",\"description\":\"City name\",\"minLength\":1}");
        properties.put("days", "{\"type\":\"integer\",\"minimum\":1,\"maximum\":" + maximum + "}");
        properties.put("where", "{\"type\":\"object\",\"properties\":{\"lat\":{\"type\":\"number\",\"minimum\":-90},"
                + "\"lon\":{\"type\":\"number\"}},\"required\":[\"lat\",\"lon\"]}");
        return properties;
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
