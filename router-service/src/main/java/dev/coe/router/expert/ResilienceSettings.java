package dev.coe.router.expert;

import dev.coe.gateway.resilience.ResilienceConfig;

import java.util.function.Consumer;

/**
 * Lays a {@code resilience:} block of {@code experts.yaml} over a {@link ResilienceConfig.Builder}: only the values
 * the block sets, so an expert's block overrides the defaults' block field by field. Stateless.
 */
final class ResilienceSettings {

    private ResilienceSettings() {
    }

    static void apply(String expert, String where, ExpertsFile.ResilienceEntry r, ResilienceConfig.Builder b) {
        if (r == null) {
            return;
        }
        duration(expert, where + ".first-token-timeout", r.firstTokenTimeout(), b::firstTokenTimeout);
        ExpertsFile.CircuitBreakerEntry cb = r.circuitBreaker();
        if (cb != null) {
            if (cb.failureRateThreshold() != null) b.failureRateThreshold(cb.failureRateThreshold());
            if (cb.slowCallRateThreshold() != null) b.slowCallRateThreshold(cb.slowCallRateThreshold());
            duration(expert, where + ".circuit-breaker.slow-call-duration", cb.slowCallDuration(), b::slowCallDuration);
            if (cb.slidingWindowSize() != null) b.slidingWindowSize(cb.slidingWindowSize());
            if (cb.minimumCalls() != null) b.minimumCalls(cb.minimumCalls());
            duration(expert, where + ".circuit-breaker.open-state-wait", cb.openStateWait(), b::openStateWait);
            if (cb.halfOpenCalls() != null) b.halfOpenCalls(cb.halfOpenCalls());
        }
        ExpertsFile.BulkheadEntry bh = r.bulkhead();
        if (bh != null) {
            if (bh.maxConcurrentCalls() != null) b.maxConcurrentCalls(bh.maxConcurrentCalls());
            duration(expert, where + ".bulkhead.max-queue-wait", bh.maxQueueWait(), b::maxQueueWait);
        }
        ExpertsFile.RetryEntry retry = r.retry();
        if (retry != null) {
            if (retry.maxAttempts() != null) b.maxAttempts(retry.maxAttempts());
            duration(expert, where + ".retry.initial-backoff", retry.initialBackoff(), b::initialBackoff);
            if (retry.multiplier() != null) b.backoffMultiplier(retry.multiplier());
            if (retry.jitter() != null) b.backoffJitter(retry.jitter());
            duration(expert, where + ".retry.max-backoff", retry.maxBackoff(), b::maxBackoff);
            duration(expert, where + ".retry.max-retry-after", retry.maxRetryAfter(), b::maxRetryAfter);
        }
        ExpertsFile.RateLimitEntry rate = r.rateLimit();
        if (rate != null) {
            if (rate.calls() != null) b.rateLimitPerPeriod(rate.calls());
            duration(expert, where + ".rate-limit.per", rate.per(), b::rateLimitPeriod);
        }
    }

    private static void duration(String expert, String field, String text, Consumer<java.time.Duration> setter) {
        java.time.Duration d = ExpertCatalog.duration(expert, field, text);
        if (d != null) {
            setter.accept(d);
        }
    }
}
