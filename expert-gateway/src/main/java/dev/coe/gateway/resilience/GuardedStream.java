package dev.coe.gateway.resilience;

import dev.coe.gateway.ExpertException;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.RetriableExpertException;
import dev.coe.gateway.RetriableExpertException.Reason;
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
import io.github.resilience4j.retry.Retry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One streamed call through a {@link GuardedExpert}, across its retries. Each try is an {@link Attempt}; events of
 * a try that was given up (first-token timeout) are dropped and its upstream is cancelled as soon as it shows a
 * handle. The caller's handler sees exactly what one good try produced, then exactly one of complete or error.
 * <p>
 * State changes happen under {@code this}'s lock; the caller's handler is called outside it, from the
 * provider's thread (partials, completion) or the timer's (timeouts), never from two at once for the same try.
 * Also the caller's {@link StreamingHandle}: cancelling stops the try in flight and gives back its permits.
 */
final class GuardedStream implements StreamingHandle {

    private final GuardedExpert expert;
    private final ExpertRequest request;
    private final Deadline deadline;
    private final StreamingChatResponseHandler client;
    private final Retry.AsyncContext<ChatResponse> retries;
    private final GatewayClock clock;

    private Attempt current;
    private boolean forwarded;
    private boolean finished;
    private boolean cancelled;

    GuardedStream(GuardedExpert expert, ExpertRequest request, Deadline deadline, StreamingChatResponseHandler client,
                  Retry.AsyncContext<ChatResponse> retries) {
        this.expert = expert;
        this.request = request;
        this.deadline = deadline;
        this.client = client;
        this.retries = retries;
        this.clock = expert.clock();
    }

    void start() {
        try {
            expert.admit(deadline);
        } catch (ExpertException refused) {
            finish(refused);
            return;
        }
        Attempt attempt;
        synchronized (this) {
            if (cancelled || finished) {
                release(null, 0, null);
                return;
            }
            attempt = new Attempt();
            current = attempt;
            attempt.arm();
        }
        try {
            expert.delegate().stream(request, attempt);
        } catch (RuntimeException e) {
            attempt.onError(e);
        }
    }

    @Override
    public void cancel() {
        Attempt attempt;
        synchronized (this) {
            if (finished || cancelled) {
                return;
            }
            cancelled = true;
            finished = true;
            attempt = current;
            current = null;
        }
        if (attempt != null) {
            attempt.disarm();
            attempt.cancelUpstream();
            long took = clock.nanoTime() - attempt.startNanos;
            // Neither success nor failure: the caller left, the expert did nothing wrong.
            expert.breaker().releasePermission();
            expert.bulkhead().onComplete();
            expert.metrics().cancelled(took);
        }
    }

    @Override
    public synchronized boolean isCancelled() {
        return cancelled;
    }

    private void finish(ExpertException error) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
        }
        client.onError(error);
    }

    /** Gives back the permits of a try that ended: a success when {@code error} is null. */
    private void release(Attempt attempt, long tookNanos, ExpertException error) {
        if (attempt == null) {
            expert.breaker().releasePermission();
        } else if (error == null) {
            // Slow calls are judged by the first token: a long answer is not a sick expert.
            expert.breaker().onSuccess(attempt.firstTokenNanos > 0 ? attempt.firstTokenNanos : tookNanos, TimeUnit.NANOSECONDS);
        } else {
            expert.breaker().onError(tookNanos, TimeUnit.NANOSECONDS, error);
        }
        expert.bulkhead().onComplete();
    }

    /** A try failed: retry after a pause when allowed, else tell the caller. Called without the lock. */
    private void failed(Attempt attempt, ExpertException error) {
        long took = clock.nanoTime() - attempt.startNanos;
        release(attempt, took, error);
        expert.metrics().failed(true, took, error);
        long delay;
        synchronized (this) {
            if (finished) {
                return;
            }
            delay = forwarded ? -1 : expert.retryDelay(retries, error, deadline);
            if (delay >= 0) {
                current = null;
            }
        }
        if (delay < 0) {
            finish(error);
            return;
        }
        // The next try may wait for a bulkhead slot: run it on a virtual thread, never on the timer's.
        clock.schedule(() -> Thread.ofVirtual().name("coe-retry-", 0).start(this::start), Duration.ofMillis(delay));
        expert.metrics().retried(error);
    }

    /** One try against the expert; the provider's handler for it. */
    private final class Attempt implements StreamingChatResponseHandler {

        final long startNanos = clock.nanoTime();
        long firstTokenNanos;
        private boolean started;
        private StreamingHandle upstream;
        private boolean upstreamCancelled;
        private GatewayClock.Cancellable firstTokenTimer = GatewayClock.Cancellable.NONE;
        private GatewayClock.Cancellable totalTimer = GatewayClock.Cancellable.NONE;

        /** Starts the timers; called under the stream's lock. */
        void arm() {
            Duration firstToken = deadline.cap(expert.settings().firstTokenTimeout());
            Duration total = deadline.cap(expert.delegate().config().requestTimeout());
            firstTokenTimer = clock.schedule(() -> timedOut(true, firstToken), firstToken);
            totalTimer = clock.schedule(() -> timedOut(false, total), total);
        }

        void disarm() {
            firstTokenTimer.cancel();
            totalTimer.cancel();
        }

        void cancelUpstream() {
            StreamingHandle h;
            synchronized (GuardedStream.this) {
                upstreamCancelled = true;
                h = upstream;
            }
            if (h != null && !h.isCancelled()) {
                h.cancel();
            }
        }

        /**
         * Notes the upstream's handle and says whether this try's events still go to the caller. A try that was
         * given up is cancelled the moment its handle shows.
         */
        private boolean live(StreamingHandle handle) {
            boolean cancelNow;
            synchronized (GuardedStream.this) {
                if (handle != null) {
                    upstream = handle;
                }
                if (current == this && !finished) {
                    if (!started) {
                        started = true;
                        forwarded = true;
                        firstTokenNanos = Math.max(1, clock.nanoTime() - startNanos);
                        firstTokenTimer.cancel();
                        expert.metrics().firstToken(firstTokenNanos);
                    }
                    return true;
                }
                cancelNow = handle != null && !upstreamCancelled;
                upstreamCancelled |= cancelNow;
            }
            if (cancelNow) {
                handle.cancel();
            }
            return false;
        }

        @Override
        public void onPartialResponse(String text) {
            if (live(null)) {
                client.onPartialResponse(new PartialResponse(text), new PartialResponseContext(GuardedStream.this));
            }
        }

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            if (live(context.streamingHandle())) {
                client.onPartialResponse(partial, new PartialResponseContext(GuardedStream.this));
            }
        }

        @Override
        public void onPartialThinking(PartialThinking thinking) {
            if (live(null)) {
                client.onPartialThinking(thinking, new PartialThinkingContext(GuardedStream.this));
            }
        }

        @Override
        public void onPartialThinking(PartialThinking thinking, PartialThinkingContext context) {
            if (live(context.streamingHandle())) {
                client.onPartialThinking(thinking, new PartialThinkingContext(GuardedStream.this));
            }
        }

        @Override
        public void onPartialToolCall(PartialToolCall call) {
            if (live(null)) {
                client.onPartialToolCall(call, new PartialToolCallContext(GuardedStream.this));
            }
        }

        @Override
        public void onPartialToolCall(PartialToolCall call, PartialToolCallContext context) {
            if (live(context.streamingHandle())) {
                client.onPartialToolCall(call, new PartialToolCallContext(GuardedStream.this));
            }
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall call) {
            synchronized (GuardedStream.this) {
                if (current != this || finished) {
                    return;
                }
            }
            client.onCompleteToolCall(call);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            synchronized (GuardedStream.this) {
                if (current != this || finished) {
                    return;
                }
                finished = true;
                current = null;
                disarm();
            }
            long took = clock.nanoTime() - startNanos;
            release(this, took, null);
            retries.onComplete();
            expert.metrics().succeeded(true, took, response.tokenUsage());
            client.onCompleteResponse(response);
        }

        @Override
        public void onError(Throwable error) {
            synchronized (GuardedStream.this) {
                if (current != this || finished) {
                    return;
                }
                disarm();
            }
            failed(this, expert.asExpertException(error));
        }

        /** A timer fired: give this try up. Runs on the timer thread, so it only hands work on. */
        private void timedOut(boolean firstToken, Duration after) {
            synchronized (GuardedStream.this) {
                if (current != this || finished || (firstToken && started)) {
                    return;
                }
                current = null;
                disarm();
            }
            cancelUpstream();
            String what = firstToken ? "no first token within " + after.toMillis() + " ms"
                    : (started ? "stream not finished within " : "no answer within ") + after.toMillis() + " ms";
            // This try is no longer current, so nothing more of it reaches the caller; failed() decides between a
            // retry and the caller's error.
            failed(this, new RetriableExpertException(expert.id(), Reason.TIMEOUT, what, null));
        }
    }
}
