package dev.coe.gateway.cache;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link CachedStreams#storingOnComplete}: forwards every callback unchanged and stores the final response when
 * the stream ends well. Thread-safe; one instance per stream.
 */
final class StoringStreamingHandler implements StreamingChatResponseHandler {

    private static final Logger log = LoggerFactory.getLogger(StoringStreamingHandler.class);

    private final ResponseCache cache;
    private final CacheKey key;
    private final Duration ttl;
    private final StreamingChatResponseHandler delegate;
    /** Set by an error, and by the first completion: nothing is stored after either. */
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile StreamingHandle handle;

    StoringStreamingHandler(ResponseCache cache, CacheKey key, Duration ttl, StreamingChatResponseHandler delegate) {
        this.cache = cache;
        this.key = key;
        this.ttl = ttl;
        this.delegate = delegate;
    }

    @Override
    public void onPartialResponse(String partialResponse) {
        delegate.onPartialResponse(partialResponse);
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
        remember(context == null ? null : context.streamingHandle());
        delegate.onPartialResponse(partialResponse, context);
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking) {
        delegate.onPartialThinking(partialThinking);
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
        remember(context == null ? null : context.streamingHandle());
        delegate.onPartialThinking(partialThinking, context);
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall) {
        delegate.onPartialToolCall(partialToolCall);
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
        remember(context == null ? null : context.streamingHandle());
        delegate.onPartialToolCall(partialToolCall, context);
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall completeToolCall) {
        delegate.onCompleteToolCall(completeToolCall);
    }

    @Override
    public void onUnmappedRawEvent(Object rawEvent) {
        delegate.onUnmappedRawEvent(rawEvent);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        if (ended.compareAndSet(false, true) && complete(response) && !cancelled()) {
            store(response);
        }
        delegate.onCompleteResponse(response);
    }

    @Override
    public void onError(Throwable error) {
        // langchain4j's OpenAI client may follow an error with a completion built from a cut-off stream.
        ended.set(true);
        delegate.onError(error);
    }

    private void store(ChatResponse response) {
        // Stored before the client hears of the completion, so that its next identical request finds it.
        try {
            cache.put(key, response, ttl);
        } catch (RuntimeException e) {
            // The client still gets its answer; a cache that cannot store is not worth failing a stream for.
            log.warn("could not store the streamed answer under {}", key, e);
        }
    }

    /** A response without a finish reason is what a client builds from a stream that was cut off. */
    private static boolean complete(ChatResponse response) {
        return response != null && response.aiMessage() != null && response.finishReason() != null;
    }

    private boolean cancelled() {
        StreamingHandle h = handle;
        return h != null && h.isCancelled();
    }

    private void remember(StreamingHandle h) {
        if (h != null) {
            handle = h;
        }
    }
}
