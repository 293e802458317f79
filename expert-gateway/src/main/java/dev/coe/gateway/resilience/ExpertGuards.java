package dev.coe.gateway.resilience;

import dev.coe.gateway.Expert;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Puts experts behind their resilience stack ({@link GuardedExpert}). Owns the resilience4j registries, so that
 * breaker state, bulkhead saturation, retries and rate limits appear in Micrometer under resilience4j's usual
 * names ({@code resilience4j_circuitbreaker_state{name="<expert>"}}, ...), and an expert guarded again after a
 * config change replaces its old instruments instead of leaking them. Thread-safe.
 */
public final class ExpertGuards {

    private final MeterRegistry meters;
    private final GatewayClock clock;
    private final java.time.Clock breakerClock;
    private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    private final BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
    private final RetryRegistry retries = RetryRegistry.ofDefaults();
    private final RateLimiterRegistry rateLimiters = RateLimiterRegistry.ofDefaults();

    public ExpertGuards(MeterRegistry meters, GatewayClock clock) {
        this.meters = meters;
        this.clock = clock;
        this.breakerClock = GatewayClock.asClock(clock, Instant.now());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
        TaggedRateLimiterMetrics.ofRateLimiterRegistry(rateLimiters).bindTo(meters);
    }

    /** Guards {@code expert} with its config's resilience settings and no load check. */
    public GuardedExpert guard(Expert expert) {
        return guard(expert, Optional::empty);
    }

    /**
     * Guards {@code expert}; {@code overload} says why the expert's engine should not get more work now (empty when
     * it may), and is called on every call, so it must be a cheap read.
     */
    public GuardedExpert guard(Expert expert, Supplier<Optional<String>> overload) {
        if (expert instanceof GuardedExpert guarded) {
            expert = guarded.unguarded();
        }
        ResilienceConfig config = expert.config().resilience();
        String name = expert.id().value();
        // Remove, then create through the registry: the tagged metrics follow the registry's add and remove events.
        forget(name);
        CircuitBreaker breaker = breakers.circuitBreaker(name, breakerConfig(config));
        Bulkhead bulkhead = bulkheads.bulkhead(name, BulkheadConfig.custom()
                .maxConcurrentCalls(config.maxConcurrentCalls())
                .maxWaitDuration(config.maxQueueWait())
                .writableStackTraceEnabled(false)
                .build());
        Retry retry = retries.retry(name, retryConfig(config));
        RateLimiter rateLimiter = config.rateLimited()
                ? rateLimiters.rateLimiter(name, RateLimiterConfig.custom()
                .limitForPeriod(config.rateLimitPerPeriod())
                .limitRefreshPeriod(config.rateLimitPeriod())
                .timeoutDuration(Duration.ZERO)
                .writableStackTraceEnabled(false)
                .build())
                : null;
        return new GuardedExpert(expert, config, clock, breaker, bulkhead, retry, rateLimiter, overload,
                new ExpertMetrics(meters, expert.id()));
    }

    /** Forgets an expert that left the config, with its instruments. */
    public void forget(String expertId) {
        breakers.remove(expertId);
        bulkheads.remove(expertId);
        retries.remove(expertId);
        rateLimiters.remove(expertId);
    }

    private CircuitBreakerConfig breakerConfig(ResilienceConfig c) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(c.slidingWindowSize())
                .minimumNumberOfCalls(Math.min(c.minimumCalls(), c.slidingWindowSize()))
                .failureRateThreshold(c.failureRateThreshold())
                .slowCallRateThreshold(c.slowCallRateThreshold())
                .slowCallDurationThreshold(c.slowCallDuration())
                .waitDurationInOpenState(c.openStateWait())
                .permittedNumberOfCallsInHalfOpenState(c.halfOpenCalls())
                // Probes are let through by the next call after the wait, read from the gateway clock: no timer thread.
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(FailurePolicy::countsAgainstExpert)
                .ignoreException(t -> !FailurePolicy.countsAgainstExpert(t))
                .clock(breakerClock)
                .writableStackTraceEnabled(false)
                .build();
    }

    private static RetryConfig retryConfig(ResilienceConfig c) {
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(c.initialBackoff(), c.backoffMultiplier(),
                c.backoffJitter(), c.maxBackoff());
        return RetryConfig.<ChatResponse>custom()
                .maxAttempts(c.maxAttempts())
                .retryOnException(FailurePolicy::worthRetrying)
                .intervalBiFunction((attempt, outcome) -> {
                    // The expert's own Retry-After beats our backoff (GuardedExpert refuses to wait for an absurd one).
                    if (outcome.isLeft() && outcome.getLeft() instanceof dev.coe.gateway.RetriableExpertException r
                            && r.retryAfter().isPresent()) {
                        return r.retryAfter().get().toMillis();
                    }
                    return backoff.apply(attempt);
                })
                .failAfterMaxAttempts(false)
                .build();
    }
}
