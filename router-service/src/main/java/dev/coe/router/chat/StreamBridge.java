package dev.coe.router.chat;

import dev.coe.gateway.ExpertException;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.RetriableExpertException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands an expert's streamed events from the provider's thread to the request's own (virtual)
 * thread, which writes them to the client. Keeps the upstream's handle so that a client that goes
 * away cancels the upstream call too. Thread-safe.
 */
final class StreamBridge implements StreamingChatResponseHandler {

    sealed interface Event permits Text, ToolCallDelta, Complete, Failed, Stalled {
    }

    /** The safety net's verdict: the stream was still open {@code after} it started answering (see {@link #stalled}). */
    record Stalled(Duration after) implements Event {
    }

    record Text(String text) implements Event {
    }

    record ToolCallDelta(int index, String id, String name, String arguments) implements Event {
    }

    record Complete(ChatResponse response) implements Event {
    }

    record Failed(Throwable error) implements Event {
    }

    private final ExpertId expert;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile StreamingHandle handle;
    private volatile boolean cancelled;

    StreamBridge(ExpertId expert) {
        this.expert = expert;
    }

    /** The next event if one is already waiting, else null; never blocks. */
    Event poll() {
        return events.poll();
    }

    /** The next event, or null when none came within {@code timeout}. */
    Event next(Duration timeout) throws InterruptedException {
        return events.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    /**
     * The next event, waiting as long as it takes. Once a stream answers, its tokens are waited for without a
     * timeout of their own: a timed wait of a virtual thread arms and disarms a timer for every token, which costs
     * more CPU than relaying the token. The guard's timers end a slow stream; {@link #stalled} is the safety net.
     */
    Event take() throws InterruptedException {
        return events.take();
    }

    /** Called by a timer when the stream has run for {@code after}: the waiting thread wakes to a {@link Stalled}. */
    void stalled(Duration after) {
        offer(new Stalled(after));
    }

    /** Keeps the handle a guarded expert returns, which stops the call even before its first token. */
    void attach(StreamingHandle h) {
        if (h != dev.coe.gateway.Expert.NotCancellable.INSTANCE) {
            remember(h);
        }
    }

    /** Stops the upstream call if the provider gave us a handle; later events are dropped. */
    void cancel() {
        cancelled = true;
        StreamingHandle h = handle;
        if (h != null && !h.isCancelled()) {
            h.cancel();
        }
    }

    @Override
    public void onPartialResponse(String partialResponse) {
        offer(new Text(partialResponse));
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
        remember(context.streamingHandle());
        offer(new Text(partialResponse.text()));
    }

    @Override
    public void onPartialToolCall(PartialToolCall call) {
        offer(new ToolCallDelta(call.index(), call.id(), call.name(), call.partialArguments()));
    }

    @Override
    public void onPartialToolCall(PartialToolCall call, PartialToolCallContext context) {
        remember(context.streamingHandle());
        onPartialToolCall(call);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        offer(new Complete(response));
    }

    @Override
    public void onError(Throwable error) {
        offer(new Failed(error instanceof ExpertException ? error
                : new RetriableExpertException(expert, RetriableExpertException.Reason.SERVER_ERROR,
                String.valueOf(error.getMessage()), error)));
    }

    private void remember(StreamingHandle h) {
        if (h != null) {
            handle = h;
            if (cancelled) {
                h.cancel();
            }
        }
    }

    private void offer(Event event) {
        if (!cancelled) {
            events.add(event);
        }
    }
}
