package dev.coe.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One chat request to an expert, in provider-neutral terms: the conversation as langchain4j
 * messages, and the generation options the client asked for. A null option means "not set":
 * the expert's own default applies and nothing is sent for it. Immutable and thread-safe.
 * <p>
 * The provider adapters translate this to their langchain4j model's request; see {@link Feature}
 * for the options not every provider can honour.
 */
public record ExpertRequest(
        List<ChatMessage> messages,
        Double temperature,
        Double topP,
        Integer maxTokens,
        List<String> stop,
        Long seed,
        String user,
        Double frequencyPenalty,
        Double presencePenalty,
        List<ToolSpecification> tools,
        ToolChoice toolChoice,
        /* name of the one function the client forces, or null */
        String toolChoiceFunction,
        Boolean parallelToolCalls,
        ResponseFormat responseFormat) {

    /** Reads tool-call arguments to tell a JSON object from anything else; thread-safe once built. */
    private static final ObjectMapper JSON = new ObjectMapper();

    public ExpertRequest {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("messages must not be empty");
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    public static Builder builder(List<ChatMessage> messages) {
        return new Builder(messages);
    }

    /** The options of this request that not every provider supports. */
    public Set<Feature> features() {
        EnumSet<Feature> used = EnumSet.noneOf(Feature.class);
        if (temperature != null) used.add(Feature.TEMPERATURE);
        if (topP != null) used.add(Feature.TOP_P);
        if (maxTokens != null) used.add(Feature.MAX_TOKENS);
        if (!stop.isEmpty()) used.add(Feature.STOP);
        if (seed != null) used.add(Feature.SEED);
        if (user != null) used.add(Feature.USER);
        if (frequencyPenalty != null) used.add(Feature.FREQUENCY_PENALTY);
        if (presencePenalty != null) used.add(Feature.PRESENCE_PENALTY);
        if (!tools.isEmpty()) used.add(Feature.TOOLS);
        if (toolChoiceFunction != null || toolChoice == ToolChoice.REQUIRED) used.add(Feature.TOOL_CHOICE);
        if (parallelToolCalls != null) used.add(Feature.PARALLEL_TOOL_CALLS);
        if (responseFormat != null && responseFormat.type() == ResponseFormatType.JSON) {
            used.add(responseFormat.jsonSchema() == null ? Feature.RESPONSE_FORMAT_JSON_OBJECT : Feature.RESPONSE_FORMAT_JSON_SCHEMA);
        }
        if (hasFreeFormToolArguments()) used.add(Feature.FREE_FORM_TOOL_ARGUMENTS);
        return used;
    }

    private boolean hasFreeFormToolArguments() {
        for (ChatMessage message : messages) {
            if (message instanceof AiMessage ai && ai.hasToolExecutionRequests()) {
                for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                    if (!isJsonObject(call.arguments())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean isJsonObject(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        try {
            return JSON.readTree(text).isObject();
        } catch (JsonProcessingException notJson) {
            return false;
        }
    }

    /** Builds an {@link ExpertRequest}; every option defaults to "not set". */
    public static final class Builder {
        private List<ChatMessage> messages;
        private Double temperature;
        private Double topP;
        private Integer maxTokens;
        private List<String> stop;
        private Long seed;
        private String user;
        private Double frequencyPenalty;
        private Double presencePenalty;
        private List<ToolSpecification> tools;
        private ToolChoice toolChoice;
        private String toolChoiceFunction;
        private Boolean parallelToolCalls;
        private ResponseFormat responseFormat;

        private Builder(List<ChatMessage> messages) {
            this.messages = messages;
        }

        public Builder messages(List<ChatMessage> v) { this.messages = v; return this; }
        public Builder temperature(Double v) { this.temperature = v; return this; }
        public Builder topP(Double v) { this.topP = v; return this; }
        public Builder maxTokens(Integer v) { this.maxTokens = v; return this; }
        public Builder stop(List<String> v) { this.stop = v; return this; }
        public Builder seed(Long v) { this.seed = v; return this; }
        public Builder user(String v) { this.user = v; return this; }
        public Builder frequencyPenalty(Double v) { this.frequencyPenalty = v; return this; }
        public Builder presencePenalty(Double v) { this.presencePenalty = v; return this; }
        public Builder tools(List<ToolSpecification> v) { this.tools = v; return this; }
        public Builder toolChoice(ToolChoice v) { this.toolChoice = v; return this; }
        public Builder toolChoiceFunction(String v) { this.toolChoiceFunction = v; return this; }
        public Builder parallelToolCalls(Boolean v) { this.parallelToolCalls = v; return this; }
        public Builder responseFormat(ResponseFormat v) { this.responseFormat = v; return this; }

        public ExpertRequest build() {
            return new ExpertRequest(messages, temperature, topP, maxTokens, stop, seed, user, frequencyPenalty,
                    presencePenalty, tools, toolChoice, toolChoiceFunction, parallelToolCalls, responseFormat);
        }
    }
}
