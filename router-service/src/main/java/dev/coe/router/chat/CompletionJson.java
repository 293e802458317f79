package dev.coe.router.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * The JSON records of OpenAI's chat completion objects, as the router writes them: a
 * {@code chat.completion}, a {@code chat.completion.chunk}, and CoE's extra {@code routing} object.
 */
final class CompletionJson {

    private CompletionJson() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record Completion(String id, String object, long created, String model, List<Choice> choices, Usage usage,
                      @JsonInclude(JsonInclude.Include.ALWAYS) String systemFingerprint, Routing routing) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Choice(int index, Message message, @JsonInclude(JsonInclude.Include.ALWAYS) Object logprobs, String finishReason) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Message(String role, @JsonInclude(JsonInclude.Include.ALWAYS) String content,
                   @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ToolCall> toolCalls,
                   @JsonInclude(JsonInclude.Include.ALWAYS) String refusal) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ToolCall(Integer index, String id, String type, Function function) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Function(String name, String arguments) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Usage(int promptTokens, int completionTokens, int totalTokens) {
    }

    /** A streamed chunk; {@code usage} is a JSON null (NullNode) on every chunk but the last when usage was asked for, and absent (Java null) otherwise. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record Chunk(String id, String object, long created, String model,
                 @JsonInclude(JsonInclude.Include.ALWAYS) String systemFingerprint, List<ChunkChoice> choices,
                 @JsonInclude(JsonInclude.Include.NON_NULL) Object usage) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ChunkChoice(int index, Delta delta, @JsonInclude(JsonInclude.Include.ALWAYS) Object logprobs,
                       @JsonInclude(JsonInclude.Include.ALWAYS) String finishReason) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(String role, String content, List<ToolCall> toolCalls) {
    }

    /** How the request was routed: the same facts as the {@code x-coe-*} headers, and the attempts. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Routing(String requestedModel, String category, double confidence, Map<String, Double> distribution,
                   String expert, List<String> chain, String reason, double routeMs, List<RoutingAttempt> attempts,
                   boolean simulated) {
    }

    /** One attempt as clients read it: the expert id as a plain string, like everywhere else in the API. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RoutingAttempt(String expert, String outcome, String detail) {
        static RoutingAttempt of(Attempt attempt) {
            return new RoutingAttempt(attempt.expert().value(), attempt.outcome(), attempt.detail());
        }
    }
}
