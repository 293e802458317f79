package dev.coe.gateway.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sits between a langchain4j streaming model and the caller's handler, and makes the {@code Expert.stream}
 * contract hold whatever the model does: partials are forwarded in order until the stream ends, then exactly
 * one of {@code onCompleteResponse} or {@code onError} follows, the error always an
 * {@link dev.coe.gateway.ExpertException}. Thread-safe; one instance per call.
 * <p>
 * Why it is needed: langchain4j's OpenAI client reports a broken stream with {@code onError} and then, when the
 * connection closes, with {@code onCompleteResponse} as well; the Ollama and Anthropic clients say nothing at all
 * when a stream closes without its final event. A completion without a finish reason is treated as a dropped
 * stream (the OpenAI client builds one from whatever arrived when the socket closes early), and
 * {@link #streamClosed()} turns silence after the close into a {@code CONNECTION_DROPPED} error.
 */
public final class GuardedStreamingHandler implements StreamingChatResponseHandler {

    private final StreamingChatResponseHandler delegate;
    private final ExpertErrorMapper errors;
    private final AtomicBoolean finished = new AtomicBoolean();

    public GuardedStreamingHandler(StreamingChatResponseHandler delegate, ExpertErrorMapper errors) {
        this.delegate = delegate;
        this.errors = errors;
    }

    /** True once the caller has been told the outcome. */
    public boolean finished() {
        return finished.get();
    }

    /** Called after the HTTP stream closed and the model's client handled the close. */
    public void streamClosed() {
        if (!finished.get()) {
            onError(errors.streamEndedEarly());
        }
    }

    @Override
    public void onPartialResponse(String partialResponse) {
        if (!finished.get()) {
            delegate.onPartialResponse(partialResponse);
        }
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
        if (!finished.get()) {
            delegate.onPartialResponse(partialResponse, context);
        }
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking) {
        if (!finished.get()) {
            delegate.onPartialThinking(partialThinking);
        }
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
        if (!finished.get()) {
            delegate.onPartialThinking(partialThinking, context);
        }
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall) {
        if (!finished.get()) {
            delegate.onPartialToolCall(partialToolCall);
        }
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
        if (!finished.get()) {
            delegate.onPartialToolCall(partialToolCall, context);
        }
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall completeToolCall) {
        if (!finished.get()) {
            delegate.onCompleteToolCall(completeToolCall);
        }
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        if (response == null || response.finishReason() == null) {
            onError(errors.streamEndedEarly());
            return;
        }
        if (finished.compareAndSet(false, true)) {
            delegate.onCompleteResponse(response);
        }
    }

    @Override
    public void onError(Throwable error) {
        if (finished.compareAndSet(false, true)) {
            delegate.onError(errors.map(error));
        }
    }
}
