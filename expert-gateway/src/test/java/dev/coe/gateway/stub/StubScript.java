package dev.coe.gateway.stub;

import dev.coe.gateway.stub.StubExpertServer.Usage;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * What a stub server answers next: the queue of scripted replies, the one-shot changes for the next call and the
 * usage setting. Thread-safe: tests script from their own thread while the server answers on its threads.
 */
final class StubScript {

    private final Queue<StubReply> replies = new ConcurrentLinkedQueue<>();
    /** The one-shot changes for the next call, composed in the order they were asked for; null when none. */
    private final AtomicReference<UnaryOperator<StubReply>> nextChange = new AtomicReference<>();
    private final AtomicReference<Usage> usage = new AtomicReference<>();

    void add(StubReply reply) {
        replies.add(reply);
    }

    void delayNext(Duration delay) {
        changeNext(reply -> reply.withDelayFirstByte(delay));
    }

    void dropNext(int chunks) {
        if (chunks < 0) {
            throw new IllegalArgumentException("chunks must be >= 0, but was " + chunks);
        }
        changeNext(reply -> reply.withDropAfterChunks(chunks));
    }

    /** Applies {@code change} to the next reply taken, after the changes asked for before it. */
    void changeNext(UnaryOperator<StubReply> change) {
        nextChange.accumulateAndGet(change, (earlier, later) -> earlier == null ? later
                : reply -> later.apply(earlier.apply(reply)));
    }

    void usage(Usage counts) {
        usage.set(counts);
    }

    void reset() {
        replies.clear();
        nextChange.set(null);
        usage.set(null);
    }

    /** Takes the next reply (the default when none is queued), with the one-shot changes applied. */
    StubReply next(String defaultText) {
        StubReply reply = replies.poll();
        if (reply == null) {
            reply = StubReply.text(defaultText);
        }
        UnaryOperator<StubReply> change = nextChange.getAndSet(null);
        return change == null ? reply : change.apply(reply);
    }

    /** The counts to report: the reply's own, else the server's setting, else words in and chunks out. */
    Usage usageOf(RecordedRequest request, StubReply reply) {
        Usage server = usage.get();
        int prompt = reply.promptTokens() != null ? reply.promptTokens()
                : server != null ? server.promptTokens() : StubText.promptWords(request.json());
        int completion = reply.completionTokens() != null ? reply.completionTokens()
                : server != null ? server.completionTokens()
                : reply.kind() == StubReply.Kind.TEXT ? StubText.pieces(reply.text()).size()
                : StubText.argumentPieces(reply.toolArguments()).size();
        return new Usage(prompt, completion);
    }
}
