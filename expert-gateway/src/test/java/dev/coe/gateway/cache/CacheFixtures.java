package dev.coe.gateway.cache;

import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.ProviderKind;
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
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Experts, requests and answers shared by the cache tests. */
final class CacheFixtures {

    static final ExpertConfig EXPERT = ExpertConfig.builder("local-moe")
            .provider(ProviderKind.OPENAI_COMPATIBLE)
            .baseUrl("http://localhost:8000/v1")
            .model("Qwen/Qwen3-30B-A3B-Instruct-2507")
            .build();

    private CacheFixtures() {
    }

    /** A deterministic one-question request (temperature 0). */
    static ExpertRequest question(String text) {
        return ExpertRequest.builder(List.of(UserMessage.from(text))).temperature(0.0).build();
    }

    static CacheKey key(String question) {
        return CacheKey.of(EXPERT, question(question));
    }

    static ChatResponse answer(String text) {
        return ChatResponse.builder()
                .aiMessage(AiMessage.from(text))
                .id("chatcmpl-1")
                .modelName(EXPERT.model())
                .tokenUsage(new TokenUsage(5, 7, 12))
                .finishReason(FinishReason.STOP)
                .build();
    }

    /** A request with every option of {@link ExpertRequest} set, and a conversation with every kind of message. */
    static ExpertRequest everyOptionSet() {
        return ExpertRequest.builder(conversation("{\"city\":\"Paris\",\"days\":2}"))
                .temperature(0.0)
                .topP(0.9)
                .maxTokens(100)
                .stop(List.of("END", "STOP"))
                .seed(42L)
                .user("alice")
                .frequencyPenalty(0.1)
                .presencePenalty(0.3)
                .tools(List.of(weatherTool(false), timeTool()))
                .toolChoice(ToolChoice.REQUIRED)
                .toolChoiceFunction("get_weather")
                .parallelToolCalls(true)
                .responseFormat(answerFormat(false))
                .build();
    }

    /** System prompt, named user question, assistant tool call with {@code arguments}, tool result, follow-up. */
    static List<ChatMessage> conversation(String arguments) {
        ToolExecutionRequest call = ToolExecutionRequest.builder()
                .id("call_1").name("get_weather").arguments(arguments).build();
        return List.of(
                SystemMessage.from("You are terse."),
                UserMessage.from("ann", "What is the weather in Paris?"),
                AiMessage.from(List.of(call)),
                ToolExecutionResultMessage.from(call, "18 degrees and sunny"),
                UserMessage.from("And tomorrow?"));
    }

    /**
     * The weather tool, its properties and their raw schemas written in one key order, or ({@code reordered})
     * in another, as two clients might send the same tool.
     */
    static ToolSpecification weatherTool(boolean reordered) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (!reordered) {
            properties.put("city", "{\"type\":\"string\",\"description\":\"City name\",\"minLength\":1}");
            properties.put("days", "{\"type\":\"integer\",\"minimum\":1,\"maximum\":14}");
            properties.put("where", "{\"type\":\"object\",\"properties\":{\"lat\":{\"type\":\"number\",\"minimum\":-90},"
                    + "\"lon\":{\"type\":\"number\"}},\"required\":[\"lat\",\"lon\"]}");
        } else {
            properties.put("where", "{ \"required\": [\"lat\", \"lon\"], \"properties\": { \"lon\": {\"type\": \"number\"},"
                    + " \"lat\": {\"minimum\": -90, \"type\": \"number\"} }, \"type\": \"object\" }");
            properties.put("days", "{\"maximum\":14,\"minimum\":1,\"type\":\"integer\"}");
            properties.put("city", "{\"minLength\":1,\"description\":\"City name\",\"type\":\"string\"}");
        }
        return weatherTool(properties, "Current weather of a city", "city");
    }

    static ToolSpecification weatherTool(Map<String, String> rawProperties, String description, String required) {
        JsonObjectSchema.Builder parameters = JsonObjectSchema.builder();
        rawProperties.forEach((name, schema) -> parameters.addProperty(name, JsonRawSchema.from(schema)));
        return ToolSpecification.builder()
                .name("get_weather")
                .description(description)
                .parameters(parameters.required(required).additionalProperties(false).build())
                .build();
    }

    static ToolSpecification timeTool() {
        return ToolSpecification.builder()
                .name("get_time")
                .description("Current time in a time zone")
                .parameters(JsonObjectSchema.builder().addStringProperty("zone").required("zone").build())
                .build();
    }

    /** A json_schema response format, its raw schema written in one key order or another. */
    static ResponseFormat answerFormat(boolean reordered) {
        String schema = reordered
                ? "{\"additionalProperties\":false,\"required\":[\"answer\",\"confidence\"],\"properties\":{"
                + "\"confidence\":{\"maximum\":1,\"minimum\":0,\"type\":\"number\"},\"answer\":{\"type\":\"string\"}},"
                + "\"type\":\"object\"}"
                : "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"},\"confidence\":{\"type\":\"number\","
                + "\"minimum\":0,\"maximum\":1}},\"required\":[\"answer\",\"confidence\"],\"additionalProperties\":false}";
        return responseFormat("answer", schema);
    }

    static ResponseFormat responseFormat(String name, String rawSchema) {
        return ResponseFormat.builder()
                .type(ResponseFormatType.JSON)
                .jsonSchema(JsonSchema.builder().name(name).rootElement(JsonRawSchema.from(rawSchema)).build())
                .build();
    }
}
