package dev.coe.gateway.stub;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link StreamingChatResponseHandler} for tests that records every callback: the partial texts and tool calls
 * in order, and how often each terminal callback was called, so that a test can assert the "exactly one of
 * {@code onCompleteResponse} or {@code onError}" contract. Thread-safe.
 */
public final class RecordingHandler implements StreamingChatResponseHandler {

    private final List<String> partials = new CopyOnWriteArrayList<>();
    private final List<PartialToolCall> partialToolCalls = new CopyOnWriteArrayList<>();
    private final List<CompleteToolCall> completeToolCalls = new CopyOnWriteArrayList<>();
    private final AtomicInteger completions = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private final CompletableFuture<ChatResponse> outcome = new CompletableFuture<>();

    @Override
    public void onPartialResponse(String partialResponse) {
        partials.add(partialResponse);
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall) {
        partialToolCalls.add(partialToolCall);
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall completeToolCall) {
        completeToolCalls.add(completeToolCall);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        completions.incrementAndGet();
        outcome.complete(response);
    }

    @Override
    public void onError(Throwable error) {
        errors.incrementAndGet();
        outcome.completeExceptionally(error);
    }

    /**
     * Waits for the final response.
     *
     * @throws AssertionError if the stream failed (with the error as cause) or did not end within {@code timeout}
     */
    public ChatResponse awaitResponse(Duration timeout) {
        try {
            return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the stream failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the stream did not end within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Waits for the error.
     *
     * @throws AssertionError if the stream completed instead or did not end within {@code timeout}
     */
    public Throwable awaitError(Duration timeout) {
        try {
            ChatResponse response = outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected an error but the stream completed with " + response);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the stream did not end within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The partial texts joined, i.e. the streamed answer. */
    public String text() {
        return String.join("", partials);
    }

    public List<String> partials() {
        return List.copyOf(partials);
    }

    public List<PartialToolCall> partialToolCalls() {
        return List.copyOf(partialToolCalls);
    }

    public List<CompleteToolCall> completeToolCalls() {
        return List.copyOf(completeToolCalls);
    }

    /** How often {@code onCompleteResponse} was called. */
    public int completions() {
        return completions.get();
    }

    /** How often {@code onError} was called. */
    public int errors() {
        return errors.get();
    }
}
