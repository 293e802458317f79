package dev.coe.gateway.cache;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;

import java.time.Duration;

/**
 * One stored answer with its own time to live and an estimate of the memory it holds. Immutable.
 *
 * @param weight estimated bytes: two per character of every string the answer holds, plus a fixed overhead
 *               for the objects around them (key, cache node, future, response, message, usage)
 */
record CachedAnswer(ChatResponse response, Duration ttl, int weight) {

    /** Bytes held by an entry besides its strings; a generous guess, so that the bound errs on the safe side. */
    static final int ENTRY_OVERHEAD_BYTES = 512;
    static final int TOOL_CALL_OVERHEAD_BYTES = 64;

    static CachedAnswer of(ChatResponse response, Duration ttl) {
        return new CachedAnswer(response, ttl, weigh(response));
    }

    static int weigh(ChatResponse response) {
        long chars = length(response.id()) + length(response.modelName());
        long bytes = ENTRY_OVERHEAD_BYTES;
        AiMessage message = response.aiMessage();
        if (message != null) {
            chars += length(message.text()) + length(message.thinking());
            if (message.hasToolExecutionRequests()) {
                for (ToolExecutionRequest call : message.toolExecutionRequests()) {
                    bytes += TOOL_CALL_OVERHEAD_BYTES;
                    chars += length(call.id()) + length(call.name()) + length(call.arguments());
                }
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes + 2 * chars);
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }
}
