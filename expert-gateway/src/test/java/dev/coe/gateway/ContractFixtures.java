package dev.coe.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Requests, schemas and expected wire values shared by the provider contract tests. */
public final class ContractFixtures {

    public static final ObjectMapper JSON = new ObjectMapper();

    public static final String TOOL_NAME = "get_weather";

    /** Property schemas with keywords langchain4j's typed schema classes cannot express; they must arrive unchanged. */
    public static final Map<String, String> RAW_PROPERTIES = Map.of(
            "city", "{\"type\":\"string\",\"description\":\"City name, e.g. Paris\",\"minLength\":1,\"pattern\":\"^[A-Z]\"}",
            "days", "{\"type\":\"integer\",\"minimum\":1,\"maximum\":14,\"default\":3}",
            "unit", "{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]}",
            "where", "{\"type\":\"object\",\"description\":\"Coordinates\",\"properties\":{\"lat\":{\"type\":\"number\","
                    + "\"minimum\":-90.5,\"maximum\":90.5},\"lon\":{\"type\":\"number\"}},\"required\":[\"lat\",\"lon\"],"
                    + "\"additionalProperties\":false}");

    public static final String RAW_RESPONSE_SCHEMA = "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"},"
            + "\"confidence\":{\"type\":\"number\",\"minimum\":0,\"maximum\":1},\"tags\":{\"type\":\"array\",\"items\":"
            + "{\"type\":\"string\",\"enum\":[\"a\",\"b\"]},\"maxItems\":3}},\"required\":[\"answer\",\"confidence\"],"
            + "\"additionalProperties\":false}";

    /** The value each simple option is set to, as it must appear on the wire. */
    public static final Map<Feature, JsonNode> SCALAR_VALUES = new EnumMap<>(Map.of(
            Feature.TEMPERATURE, json("0.25"),
            Feature.TOP_P, json("0.75"),
            Feature.MAX_TOKENS, json("77"),
            Feature.STOP, json("[\"END\",\"STOP\"]"),
            Feature.SEED, json("4242"),
            Feature.USER, json("\"user-42\""),
            Feature.FREQUENCY_PENALTY, json("0.5"),
            Feature.PRESENCE_PENALTY, json("0.125")));

    private ContractFixtures() {
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    public static List<ChatMessage> question(String text) {
        return List.of(UserMessage.from(text));
    }

    public static ToolSpecification weatherTool() {
        JsonObjectSchema.Builder parameters = JsonObjectSchema.builder();
        RAW_PROPERTIES.forEach((name, schema) -> parameters.addProperty(name, JsonRawSchema.from(schema)));
        return ToolSpecification.builder()
                .name(TOOL_NAME)
                .description("Current weather of a city")
                .parameters(parameters.required("city").build())
                .build();
    }

    public static ResponseFormat answerSchema() {
        return ResponseFormat.builder()
                .type(ResponseFormatType.JSON)
                .jsonSchema(JsonSchema.builder().name("answer").rootElement(JsonRawSchema.from(RAW_RESPONSE_SCHEMA)).build())
                .build();
    }

    /** The expected JSON of the raw property schemas, as one object. */
    public static JsonNode rawProperties() {
        var properties = JSON.createObjectNode();
        RAW_PROPERTIES.forEach((name, schema) -> properties.set(name, json(schema)));
        return properties;
    }

    /** A request that uses {@code feature} (and whatever it needs, e.g. tools for a tool choice). */
    public static ExpertRequest.Builder with(ExpertRequest.Builder builder, Feature feature) {
        return switch (feature) {
            case TEMPERATURE -> builder.temperature(0.25);
            case TOP_P -> builder.topP(0.75);
            case MAX_TOKENS -> builder.maxTokens(77);
            case STOP -> builder.stop(List.of("END", "STOP"));
            case SEED -> builder.seed(4242L);
            case USER -> builder.user("user-42");
            case FREQUENCY_PENALTY -> builder.frequencyPenalty(0.5);
            case PRESENCE_PENALTY -> builder.presencePenalty(0.125);
            case TOOLS -> builder.tools(List.of(weatherTool()));
            case TOOL_CHOICE -> builder.tools(List.of(weatherTool())).toolChoice(ToolChoice.REQUIRED);
            case PARALLEL_TOOL_CALLS -> builder.tools(List.of(weatherTool())).parallelToolCalls(false);
            case RESPONSE_FORMAT_JSON_OBJECT -> builder.responseFormat(ResponseFormat.JSON);
            case RESPONSE_FORMAT_JSON_SCHEMA -> builder.responseFormat(answerSchema());
            case FREE_FORM_TOOL_ARGUMENTS -> builder.messages(List.of(UserMessage.from("What is the weather in Paris?"),
                    AiMessage.from(List.of(ToolExecutionRequest.builder().id("call_1").name(TOOL_NAME).arguments("Paris").build())),
                    ToolExecutionResultMessage.from("call_1", TOOL_NAME, "18 degrees and sunny"), UserMessage.from("And tomorrow?")));
        };
    }

    /** System prompt, question, assistant tool call, tool result, follow-up question. */
    public static List<ChatMessage> conversationWithToolResult() {
        ToolExecutionRequest call = ToolExecutionRequest.builder()
                .id("call_1").name(TOOL_NAME).arguments("{\"city\":\"Paris\"}").build();
        return List.of(
                SystemMessage.from("You are terse."),
                UserMessage.from("What is the weather in Paris?"),
                AiMessage.from(List.of(call)),
                ToolExecutionResultMessage.from(call, "18 degrees and sunny"),
                AiMessage.from("It is 18 degrees and sunny."),
                UserMessage.from("And tomorrow?"));
    }
}
