package dev.coe.router.expert;

import java.util.List;

/**
 * The shape of {@code config/experts.yaml}: shared defaults, then one entry per expert.
 * Property names are kebab-case in the file; durations are Spring-style text ({@code 2s}, {@code 500ms}, ISO-8601).
 */
record ExpertsFile(Defaults defaults, List<Entry> experts) {

    /** Values every expert inherits unless its own entry sets them. */
    record Defaults(String connectTimeout, String requestTimeout, ResilienceEntry resilience, CacheEntry cache) {
    }

    record Entry(String id, String provider, String baseUrl, String model, String apiKeyEnv, String description,
                 Boolean enabled, String connectTimeout, String requestTimeout, CostEntry cost,
                 SimulationEntry simulation, ResilienceEntry resilience, CacheEntry cache, LoadEntry load) {
    }

    /** Load limits of a local engine read from its Prometheus metrics (vLLM); the metrics URL defaults from base-url. */
    record LoadEntry(String metricsUrl, Integer maxRequestsWaiting, Double maxKvCacheUsage, String scrapeInterval) {
    }

    /** Whether and how long this expert's answers are cached. */
    record CacheEntry(Boolean enabled, String ttl) {
    }

    /** The resilience stack of an expert; every value may be left out to inherit it. */
    record ResilienceEntry(String firstTokenTimeout, CircuitBreakerEntry circuitBreaker, BulkheadEntry bulkhead,
                           RetryEntry retry, RateLimitEntry rateLimit) {
    }

    record CircuitBreakerEntry(Float failureRateThreshold, Float slowCallRateThreshold, String slowCallDuration,
                               Integer slidingWindowSize, Integer minimumCalls, String openStateWait, Integer halfOpenCalls) {
    }

    record BulkheadEntry(Integer maxConcurrentCalls, String maxQueueWait) {
    }

    record RetryEntry(Integer maxAttempts, String initialBackoff, Double multiplier, Double jitter, String maxBackoff,
                      String maxRetryAfter) {
    }

    record RateLimitEntry(Integer calls, String per) {
    }

    record CostEntry(Double activeParamsB, Double inputUsdPerMillion, Double outputUsdPerMillion) {
    }

    record SimulationEntry(String firstTokenLatency, Double tokensPerSecond, Double errorRate, Integer answerTokens) {
    }
}
