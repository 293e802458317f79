package dev.coe.gateway.cache;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The cache on the streaming path: replays a stored answer as a stream, and stores a streamed answer once it
 * has completed. Stateless and thread-safe.
 */
public final class CachedStreams {

    private CachedStreams() {
    }

    /**
     * Replays {@code cached} to {@code handler} as a stream would deliver it, synchronously on the caller's thread:
     * the thinking in one piece if there is any, the text in pieces of about 16 to 32 characters cut after
     * whitespace (see {@link TextPieces}), each tool call as one complete {@code onPartialToolCall} followed by
     * its {@code onCompleteToolCall}, then {@code onCompleteResponse(cached)}.
     * <p>
     * Partials go through the context-taking overloads, whose defaults reach the plain ones. The context's
     * {@link StreamingHandle} stops the replay when cancelled: nothing follows, not even the completion. An
     * exception thrown by a partial callback ends the replay with {@code onError}, as a live stream would;
     * one thrown by {@code onCompleteResponse} or {@code onError} reaches the caller.
     */
    public static void replay(ChatResponse cached, StreamingChatResponseHandler handler) {
        Objects.requireNonNull(cached, "cached");
        Objects.requireNonNull(handler, "handler");
        ReplayHandle handle = new ReplayHandle();
        try {
            if (!replayParts(cached.aiMessage(), handler, handle)) {
                return;
            }
        } catch (RuntimeException e) {
            handler.onError(e);
            return;
        }
        if (!handle.isCancelled()) {
            handler.onCompleteResponse(cached);
        }
    }

    /**
     * Wraps {@code delegate} so that when the stream completes normally its response is stored in {@code cache}
     * under {@code key} for {@code ttl}. Nothing is stored after an error (even if a completion follows it), when
     * the stream was cancelled through its {@link StreamingHandle}, or when the final response has no finish
     * reason (a cut-off stream). Every callback is forwarded unchanged, the context-taking overloads included;
     * the answer is stored before {@code onCompleteResponse} is forwarded.
     *
     * @throws IllegalArgumentException if {@code ttl} is not positive
     */
    public static StreamingChatResponseHandler storingOnComplete(ResponseCache cache, CacheKey key, Duration ttl,
                                                                 StreamingChatResponseHandler delegate) {
        return new StoringStreamingHandler(Objects.requireNonNull(cache, "cache"), Objects.requireNonNull(key, "key"),
                Ttl.require(ttl), Objects.requireNonNull(delegate, "delegate"));
    }

    /** Sends the partials; false when the handle was cancelled on the way. */
    private static boolean replayParts(AiMessage message, StreamingChatResponseHandler handler, ReplayHandle handle) {
        if (message == null) {
            return true;
        }
        if (message.thinking() != null && !message.thinking().isEmpty()) {
            handler.onPartialThinking(new PartialThinking(message.thinking()), new PartialThinkingContext(handle));
        }
        for (String piece : TextPieces.split(message.text())) {
            if (handle.isCancelled()) {
                return false;
            }
            handler.onPartialResponse(new PartialResponse(piece), new PartialResponseContext(handle));
        }
        List<ToolExecutionRequest> calls = message.hasToolExecutionRequests() ? message.toolExecutionRequests() : List.of();
        for (int index = 0; index < calls.size(); index++) {
            if (handle.isCancelled()) {
                return false;
            }
            ToolExecutionRequest call = calls.get(index);
            handler.onPartialToolCall(PartialToolCall.builder().index(index).id(call.id()).name(call.name())
                    .partialArguments(call.arguments()).build(), new PartialToolCallContext(handle));
            handler.onCompleteToolCall(new CompleteToolCall(index, call));
        }
        return !handle.isCancelled();
    }

    /** Lets the receiver of a replay stop it, as it would stop a live stream. */
    private static final class ReplayHandle implements StreamingHandle {
        private volatile boolean cancelled;

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
