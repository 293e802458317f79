package dev.coe.gateway.resilience;

import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertException;
import dev.coe.gateway.ExpertHealth;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.Feature;
import dev.coe.gateway.RetriableExpertException;
import dev.coe.gateway.RetriableExpertException.Reason;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.retry.Retry;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An expert behind its resilience stack: load check, circuit breaker, rate limiter, bulkhead, retry with
 * backoff, and first-token and total timeouts, all bounded by the caller's {@link Deadline}. Built by
 * {@link ExpertGuards}. Thread-safe; one instance per expert serves every request.
 * <p>
 * The order of the checks is deliberate: the cheap refusals (engine over its queue limit, breaker open, rate
 * limit) come before the bulkhead, so that a call never queues for a slot on an expert it would not call anyway.
 * A refusal throws a {@link RetriableExpertException} with a reason for which
 * {@link Reason#refusedByGateway()} holds; the caller moves on to the next expert.
 * <p>
 * Retries happen only before the first byte of an answer reached the caller: a one-piece call is retried as a
 * whole, a stream only while it has produced nothing. Each retry waits the backoff (or the expert's
 * {@code Retry-After}, up to {@link ResilienceConfig#maxRetryAfter()}) and only if the deadline leaves room.
 */
public final class GuardedExpert implements Expert {

    private final Expert delegate;
    private final ResilienceConfig config;
    private final GatewayClock clock;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final Retry retry;
    private final RateLimiter rateLimiter;
    private final Supplier<Optional<String>> overload;
    private final ExpertMetrics metrics;

    GuardedExpert(Expert delegate, ResilienceConfig config, GatewayClock clock, CircuitBreaker breaker, Bulkhead bulkhead,
                  Retry retry, RateLimiter rateLimiter, Supplier<Optional<String>> overload, ExpertMetrics metrics) {
        this.delegate = delegate;
        this.config = config;
        this.clock = clock;
        this.breaker = breaker;
        this.bulkhead = bulkhead;
        this.retry = retry;
        this.rateLimiter = rateLimiter;
        this.overload = overload;
        this.metrics = metrics;
    }

    /** The expert without its guards (for health checks and tests). */
    public Expert unguarded() {
        return delegate;
    }

    public ResilienceConfig resilience() {
        return config;
    }

    public CircuitBreaker.State circuitState() {
        return breaker.getState();
    }

    /** Calls in flight now, out of {@link ResilienceConfig#maxConcurrentCalls()}. */
    public int callsInFlight() {
        return config.maxConcurrentCalls() - bulkhead.getMetrics().getAvailableConcurrentCalls();
    }

    @Override
    public ExpertId id() {
        return delegate.id();
    }

    @Override
    public ExpertConfig config() {
        return delegate.config();
    }

    @Override
    public Set<Feature> supportedFeatures() {
        return delegate.supportedFeatures();
    }

    @Override
    public boolean simulated() {
        return delegate.simulated();
    }

    @Override
    public ExpertHealth checkHealth() {
        return delegate.checkHealth();
    }

    @Override
    public ChatResponse chat(ExpertRequest request) {
        return chat(request, Deadline.after(clock, delegate.config().requestTimeout()));
    }

    @Override
    public void stream(ExpertRequest request, StreamingChatResponseHandler handler) {
        stream(request, Deadline.after(clock, delegate.config().requestTimeout()), handler);
    }

    /**
     * Answers in one piece within the expert's request timeout and the caller's deadline, retrying as configured.
     *
     * @throws ExpertException the last failure, or the gateway's refusal to call the expert at all
     */
    @Override
    public ChatResponse chat(ExpertRequest request, Deadline deadline) {
        Retry.AsyncContext<ChatResponse> retries = retry.asyncContext();
        while (true) {
            admit(deadline);
            long start = clock.nanoTime();
            try {
                ChatResponse response = callWithin(request, deadline.cap(delegate.config().requestTimeout()));
                long took = clock.nanoTime() - start;
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                bulkhead.onComplete();
                retries.onComplete();
                metrics.succeeded(false, took, response.tokenUsage());
                return response;
            } catch (ExpertException e) {
                long took = clock.nanoTime() - start;
                breaker.onError(took, TimeUnit.NANOSECONDS, e);
                bulkhead.onComplete();
                metrics.failed(false, took, e);
                long delay = retryDelay(retries, e, deadline);
                if (delay < 0) {
                    throw e;
                }
                metrics.retried(e);
                pause(Duration.ofMillis(delay), e);
            }
        }
    }

    /**
     * Streams the answer to {@code handler} within the first-token timeout, the expert's request timeout and the
     * caller's deadline, retrying before the first token as configured. The handler may be called on any thread,
     * the caller's included (a refusal is reported before this method returns).
     *
     * @return a handle that stops the call, whether or not it has produced anything yet
     */
    @Override
    public StreamingHandle stream(ExpertRequest request, Deadline deadline, StreamingChatResponseHandler handler) {
        GuardedStream stream = new GuardedStream(this, request, deadline, handler, retry.asyncContext());
        stream.start();
        return stream;
    }

    // ---- the pieces GuardedStream shares ----

    GatewayClock clock() {
        return clock;
    }

    ResilienceConfig settings() {
        return config;
    }

    Expert delegate() {
        return delegate;
    }

    ExpertMetrics metrics() {
        return metrics;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    Bulkhead bulkhead() {
        return bulkhead;
    }

    /**
     * Takes a breaker permission and a bulkhead slot, or throws the refusal. On return the caller owns both and
     * must give them back: {@code breaker.onSuccess/onError/releasePermission} and {@code bulkhead.onComplete}.
     */
    void admit(Deadline deadline) {
        if (deadline.expired()) {
            throw refuse(Reason.TIMEOUT, "the request's deadline passed before this expert could be called", null);
        }
        Optional<String> overloaded = overload.get();
        if (overloaded.isPresent()) {
            throw refuse(Reason.OVERLOADED, "engine over its load limit: " + overloaded.get(), null);
        }
        if (!breaker.tryAcquirePermission()) {
            // Both rates: a breaker opened by slow calls alone would otherwise read "after 0% failed calls".
            CircuitBreaker.Metrics metrics = breaker.getMetrics();
            throw refuse(Reason.CIRCUIT_OPEN, "circuit breaker is " + breaker.getState().name().toLowerCase(java.util.Locale.ROOT)
                    + String.format(java.util.Locale.ROOT, " after %.0f%% failed and %.0f%% slow calls",
                    Math.max(0, metrics.getFailureRate()), Math.max(0, metrics.getSlowCallRate()))
                    + "; calls resume after " + config.openStateWait().toSeconds() + " s", null);
        }
        if (rateLimiter != null && !rateLimiter.acquirePermission()) {
            breaker.releasePermission();
            throw refuse(Reason.RATE_LIMITED, "over the configured rate limit of " + config.rateLimitPerPeriod()
                    + " calls per " + config.rateLimitPeriod().toMillis() + " ms", config.rateLimitPeriod());
        }
        if (!bulkhead.tryAcquirePermission()) {
            breaker.releasePermission();
            throw refuse(Reason.BULKHEAD_FULL, "all " + config.maxConcurrentCalls() + " call slots busy"
                    + (config.maxQueueWait().isZero() ? "" : " for " + config.maxQueueWait().toMillis() + " ms"), null);
        }
    }

    private RetriableExpertException refuse(Reason reason, String message, Duration retryAfter) {
        RetriableExpertException e = new RetriableExpertException(delegate.id(), reason, message, retryAfter, null);
        metrics.refused(e);
        return e;
    }

    /**
     * Milliseconds to wait before the next try, or -1 for none: the failure is not worth retrying, the tries are
     * used up, the expert asked for a longer pause than we honour, or waiting would not leave time for the call.
     */
    long retryDelay(Retry.AsyncContext<ChatResponse> retries, ExpertException e, Deadline deadline) {
        if (e instanceof RetriableExpertException r && r.retryAfter().map(d -> d.compareTo(config.maxRetryAfter()) > 0).orElse(false)) {
            return -1;
        }
        long delay = retries.onError(e);
        if (delay < 0 || Duration.ofMillis(delay).compareTo(deadline.remaining()) >= 0) {
            return -1;
        }
        return delay;
    }

    /**
     * Runs the blocking call on a virtual thread so that the deadline holds even while the provider's client waits
     * on a body that stopped flowing (its own timeout only covers the response headers). Interrupting the worker
     * cancels the JDK HTTP exchange.
     *
     * <p>The timer is set before the worker starts: set after, a clock read while the request is already on its way
     * would push the deadline back by however long the start took (with a test clock, past the test's advance).
     */
    private ChatResponse callWithin(ExpertRequest request, Duration limit) {
        CompletableFuture<ChatResponse> result = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("coe-call-", 0).unstarted(() -> {
            try {
                result.complete(delegate.chat(request));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        GatewayClock.Cancellable timer = clock.schedule(() -> {
            if (result.completeExceptionally(new RetriableExpertException(delegate.id(), Reason.TIMEOUT,
                    "no answer within " + limit.toMillis() + " ms", null))) {
                worker.interrupt();
            }
        }, limit);
        if (!result.isDone()) {
            worker.start();
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw asExpertException(e.getCause());
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new RetriableExpertException(delegate.id(), Reason.TIMEOUT, "interrupted while waiting for the answer", e);
        } finally {
            timer.cancel();
        }
    }

    ExpertException asExpertException(Throwable t) {
        if (t instanceof ExpertException e) {
            return e;
        }
        // An adapter bug must not escape as something the fallback chain does not understand.
        return new RetriableExpertException(delegate.id(), Reason.SERVER_ERROR, t.getClass().getSimpleName() + ": " + t.getMessage(), t);
    }

    private void pause(Duration delay, ExpertException cause) {
        try {
            clock.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }

    @Override
    public String toString() {
        return "GuardedExpert{" + delegate + ", " + config + "}";
    }
}
