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

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One upstream stream shared by every identical streaming request that arrives while it runs. The request that
 * starts it subscribes first; a later one {@linkplain #join joins} and is sent every event so far, then the rest as
 * they come, so N identical streams cost the expert one call, as N identical one-piece calls do in
 * {@link ResponseCache#getOrCompute}.
 * <p>
 * Each subscriber gets its own {@link StreamingHandle} (in the contexts of its partials, and from {@link #join}):
 * cancelling it only unsubscribes, because one client going away must not cut the others' answer. The upstream call
 * is cancelled when the last subscriber leaves; the fan-out is then abandoned and nobody can join it.
 * <p>
 * Events are recorded and delivered under this object's lock, so every subscriber sees them once and in order; the
 * subscribers' handlers must be quick (the router's hands each event to a queue). A handler that throws is dropped as
 * if it had left. The first terminal event (completion or error) ends the fan-out; later upstream events are ignored.
 * Thread-safe.
 */
final class StreamFanout implements StreamingChatResponseHandler {

    /** One upstream event, kept to replay to subscribers that join later. */
    private sealed interface Event permits Text, Thinking, ToolPartial, ToolComplete, Completed, Failed {
        void deliver(Subscriber to);
    }

    private record Text(PartialResponse partial) implements Event {
        public void deliver(Subscriber to) {
            to.handler.onPartialResponse(partial, new PartialResponseContext(to));
        }
    }

    private record Thinking(PartialThinking partial) implements Event {
        public void deliver(Subscriber to) {
            to.handler.onPartialThinking(partial, new PartialThinkingContext(to));
        }
    }

    private record ToolPartial(PartialToolCall partial) implements Event {
        public void deliver(Subscriber to) {
            to.handler.onPartialToolCall(partial, new PartialToolCallContext(to));
        }
    }

    private record ToolComplete(CompleteToolCall call) implements Event {
        public void deliver(Subscriber to) {
            to.handler.onCompleteToolCall(call);
        }
    }

    private record Completed(ChatResponse response) implements Event {
        public void deliver(Subscriber to) {
            to.handler.onCompleteResponse(response);
        }
    }

    private record Failed(Throwable error) implements Event {
        public void deliver(Subscriber to) {
            to.handler.onError(error);
        }
    }

    private final Consumer<StreamFanout> onEnd;
    private final List<Event> history = new ArrayList<>();
    private final List<Subscriber> subscribers = new ArrayList<>();
    /** Guarded by this: a terminal event arrived, or every subscriber left. */
    private boolean ended;
    /** Guarded by this: every subscriber left before the end, so the upstream call was (or will be) cancelled. */
    private boolean abandoned;
    /** Guarded by this: the handle that stops the upstream call, once known. */
    private StreamingHandle upstream;

    /** @param onEnd run once, under this object's lock, when the fan-out ends or is abandoned: nobody may join after it */
    StreamFanout(Consumer<StreamFanout> onEnd) {
        this.onEnd = Objects.requireNonNull(onEnd, "onEnd");
    }

    /**
     * Subscribes {@code handler}: it is sent every event so far, on this thread, then the rest on the upstream's.
     *
     * @return the subscriber's own handle, or {@code null} when the fan-out was abandoned (start a call of your own)
     */
    synchronized StreamingHandle join(StreamingChatResponseHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (abandoned) {
            return null;
        }
        Subscriber subscriber = new Subscriber(handler);
        subscribers.add(subscriber);
        for (Event event : history) {
            if (!deliver(event, subscriber)) {
                break;
            }
        }
        return subscriber;
    }

    /** Keeps the handle that stops the upstream call; cancels it at once if everyone has left already. */
    void attach(StreamingHandle handle) {
        if (handle == null) {
            return;
        }
        boolean cancelNow;
        synchronized (this) {
            upstream = handle;
            cancelNow = abandoned;
        }
        // Outside the lock: a provider's cancel may wait for its reading thread, which may be waiting for this lock.
        if (cancelNow) {
            handle.cancel();
        }
    }

    /** How many subscribers are listening now (for tests and diagnostics). */
    synchronized int subscribers() {
        return subscribers.size();
    }

    @Override
    public void onPartialResponse(String partialResponse) {
        record(new Text(new PartialResponse(partialResponse)));
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
        remember(context == null ? null : context.streamingHandle());
        record(new Text(partialResponse));
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking) {
        record(new Thinking(partialThinking));
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
        remember(context == null ? null : context.streamingHandle());
        record(new Thinking(partialThinking));
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall) {
        record(new ToolPartial(partialToolCall));
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
        remember(context == null ? null : context.streamingHandle());
        record(new ToolPartial(partialToolCall));
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall completeToolCall) {
        record(new ToolComplete(completeToolCall));
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        record(new Completed(response));
    }

    @Override
    public void onError(Throwable error) {
        record(new Failed(error));
    }

    private void remember(StreamingHandle handle) {
        boolean unknown;
        synchronized (this) {
            unknown = upstream == null;
        }
        if (handle != null && unknown) {
            attach(handle);
        }
    }

    private synchronized void record(Event event) {
        if (ended) {
            // langchain4j's OpenAI client may follow an error with a completion built from the cut-off stream.
            return;
        }
        history.add(event);
        for (Subscriber subscriber : List.copyOf(subscribers)) {
            deliver(event, subscriber);
        }
        if (event instanceof Completed || event instanceof Failed) {
            ended = true;
            onEnd.accept(this);
        }
    }

    /** False when the subscriber's handler threw and was dropped. */
    private boolean deliver(Event event, Subscriber subscriber) {
        if (subscriber.cancelled) {
            return false;
        }
        try {
            event.deliver(subscriber);
            return true;
        } catch (RuntimeException e) {
            // One broken receiver must not stop the answer reaching the others.
            leave(subscriber);
            return false;
        }
    }

    private void leave(Subscriber subscriber) {
        StreamingHandle toCancel;
        synchronized (this) {
            subscriber.cancelled = true;
            if (!subscribers.remove(subscriber) || !subscribers.isEmpty() || ended) {
                return;
            }
            // Nobody is listening: stop paying for the answer, and let the next identical request start afresh.
            ended = true;
            abandoned = true;
            onEnd.accept(this);
            toCancel = upstream;
        }
        // Outside the lock, as in attach().
        if (toCancel != null && !toCancel.isCancelled()) {
            toCancel.cancel();
        }
    }

    /** A subscriber and its own handle: cancelling it leaves the fan-out. */
    private final class Subscriber implements StreamingHandle {
        private final StreamingChatResponseHandler handler;
        private volatile boolean cancelled;

        Subscriber(StreamingChatResponseHandler handler) {
            this.handler = handler;
        }

        @Override
        public void cancel() {
            leave(this);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
