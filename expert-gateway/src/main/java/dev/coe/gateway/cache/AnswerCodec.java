package dev.coe.gateway.cache;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes an answer as compact JSON for a shared second-level store, and reads it back: the parts of a
 * {@link ChatResponse} that the router answers with (text, reasoning, tool calls, finish reason, usage, model, id).
 * Provider-specific metadata is not kept: a cached answer never needed it. Stateless and thread-safe.
 */
public final class AnswerCodec {

    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** Bumped when the shape changes, so that replicas of different versions never misread each other's answers. */
    public static final String FORMAT = "v1";

    record Call(String id, String name, String arguments) {
    }

    record Usage(Integer input, Integer output, Integer total) {
    }

    record Answer(String id, String model, String text, String thinking, List<Call> toolCalls, String finish, Usage usage) {
    }

    private AnswerCodec() {
    }

    public static byte[] encode(ChatResponse r) {
        AiMessage m = r.aiMessage();
        List<Call> calls = m.hasToolExecutionRequests()
                ? m.toolExecutionRequests().stream().map(c -> new Call(c.id(), c.name(), c.arguments())).toList() : null;
        TokenUsage u = r.tokenUsage();
        try {
            return JSON.writeValueAsBytes(new Answer(r.id(), r.modelName(), m.text(), m.thinking(), calls,
                    r.finishReason() == null ? null : r.finishReason().name(),
                    u == null ? null : new Usage(u.inputTokenCount(), u.outputTokenCount(), u.totalTokenCount())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode an answer", e);
        }
    }

    /** @throws IllegalArgumentException when {@code bytes} is not an encoded answer */
    public static ChatResponse decode(byte[] bytes) {
        Answer a;
        try {
            a = JSON.readValue(bytes, Answer.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an encoded answer: " + e.getMessage(), e);
        }
        AiMessage.Builder message = AiMessage.builder().text(a.text()).thinking(a.thinking());
        if (a.toolCalls() != null) {
            message.toolExecutionRequests(a.toolCalls().stream().map(c -> ToolExecutionRequest.builder()
                    .id(c.id()).name(c.name()).arguments(c.arguments()).build()).toList());
        }
        return ChatResponse.builder()
                .aiMessage(message.build())
                .id(a.id())
                .modelName(a.model())
                .finishReason(a.finish() == null ? null : FinishReason.valueOf(a.finish()))
                .tokenUsage(a.usage() == null ? null : new TokenUsage(a.usage().input(), a.usage().output(), a.usage().total()))
                .build();
    }
}
