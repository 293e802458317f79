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

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands an expert's streamed events from the provider's thread to the request's own (virtual)
 * thread, which writes them to the client. Keeps the upstream's handle so that a client that goes
 * away cancels the upstream call too. Thread-safe.
 * <p>
 * Once the stream is under way, the request thread may {@linkplain #relayDirectly hand the writing of text and
 * tool-call pieces over} to the provider's thread: each piece is then written where it arrives, instead of waking the
 * request thread for every token (a park and an unpark of a virtual thread per token: about a tenth of the router's
 * CPU per streamed answer at 64 concurrent streams, docs/benchmarks.md). The end of the stream, a failure and the
 * safety net still go through the queue to the request thread, once per stream: they may come from a timer's thread,
 * which must never block on a slow client. A slow client does block the provider's thread then, which holds back only
 * its own upstream read (TCP backpressure where the queue used to grow without bound); so the responder relays
 * directly only streams that no other request shares.
 */
final class StreamBridge implements StreamingChatResponseHandler {

    sealed interface Event permits Piece, Complete, Failed, Stalled, ClientGone, KeepAlive {
    }

    /** Nothing was written for a while: the request thread writes an SSE comment (see {@link #keepAlive}). */
    record KeepAlive() implements Event {
    }

    /** A piece of the answer, which the provider's thread may write itself ({@link #relayDirectly}). */
    sealed interface Piece extends Event permits Text, ToolCallDelta {
    }

    /** Writes a piece of the answer to the client, flushed; called with the bridge's lock held. */
    interface Sink {
        void write(Piece piece) throws IOException;
    }

    /** The provider's thread could not write a piece: the client went away (the request thread cancels upstream). */
    record ClientGone(IOException cause) implements Event {
    }

    /** The safety net's verdict: the stream was still open {@code after} it started answering (see {@link #stalled}). */
    record Stalled(Duration after) implements Event {
    }

    record Text(String text) implements Piece {
    }

    record ToolCallDelta(int index, String id, String name, String arguments) implements Piece {
    }

    record Complete(ChatResponse response) implements Event {
    }

    record Failed(Throwable error) implements Event {
    }

    private final ExpertId expert;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    /** Serialises writes to the client between the provider's thread and the request thread once relaying directly. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Non-null once pieces are written where they arrive; guarded by {@link #lock}. */
    private Sink sink;
    /** Set when the request thread writes the end; later pieces are dropped. Guarded by {@link #lock}. */
    private boolean ended;
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

    /**
     * From now on, text and tool-call pieces are written by {@code sink} on the thread that delivers them; the queue
     * keeps only the end of the stream, failures, the safety net and {@link ClientGone}. Refused (false) while pieces
     * are still queued: the caller writes those first, so that nothing is written out of order.
     */
    boolean relayDirectly(Sink sink) {
        lock.lock();
        try {
            if (!events.isEmpty()) {
                return false;
            }
            this.sink = sink;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code last}, the request thread's writing of the stream's end, with the lock held, so that it never
     * interleaves with a piece being written on the provider's thread; pieces that arrive afterwards are dropped.
     */
    <E extends Exception> void end(Writing<E> last) throws E {
        lock.lock();
        try {
            ended = true;
            last.run();
        } finally {
            lock.unlock();
        }
    }

    /** What the request thread writes at the end. */
    interface Writing<E extends Exception> {
        void run() throws E;
    }

    /**
     * Called by a timer when the stream has been quiet for a while: the request thread wakes to a {@link KeepAlive}.
     * Never blocks, so a timer never waits on a slow client.
     */
    void keepAlive() {
        offer(new KeepAlive());
    }

    /**
     * Runs {@code writing} with the lock held unless the stream has ended, so that it never interleaves with a piece
     * written on the provider's thread.
     */
    <E extends Exception> void whileOpen(Writing<E> writing) throws E {
        lock.lock();
        try {
            if (!ended) {
                writing.run();
            }
        } finally {
            lock.unlock();
        }
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
        piece(new Text(partialResponse));
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
        remember(context.streamingHandle());
        piece(new Text(partialResponse.text()));
    }

    @Override
    public void onPartialToolCall(PartialToolCall call) {
        piece(new ToolCallDelta(call.index(), call.id(), call.name(), call.partialArguments()));
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

    /** A piece of the answer: written here when relaying directly, else queued for the request thread. */
    private void piece(Piece piece) {
        if (cancelled) {
            return;
        }
        lock.lock();
        try {
            if (sink == null) {
                events.add(piece);
                return;
            }
            if (ended) {
                return;
            }
            try {
                sink.write(piece);
            } catch (IOException clientGone) {
                ended = true;
                events.add(new ClientGone(clientGone));
            }
        } finally {
            lock.unlock();
        }
    }

    private void offer(Event event) {
        if (!cancelled) {
            events.add(event);
        }
    }
}
