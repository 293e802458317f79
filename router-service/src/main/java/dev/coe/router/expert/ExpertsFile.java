package dev.coe.router.expert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The shape of {@code config/experts.yaml}: shared defaults, then one entry per expert. It is also what a routing
 * version keeps of its experts, so that the admin API can add and change experts with history and rollback.
 * Property names are kebab-case in the file (camelCase in the admin API's JSON); durations are Spring-style text
 * ({@code 2s}, {@code 500ms}, ISO-8601). Secrets never appear here: {@code apiKeyEnv} names an environment variable.
 */
public record ExpertsFile(Defaults defaults, List<Entry> experts) {

    public ExpertsFile {
        experts = experts == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(experts));
    }

    /** Ids of the entries (null for an entry without one), in file order. */
    public List<String> ids() {
        return experts.stream().map(e -> e == null ? null : e.id()).toList();
    }

    public Optional<Entry> find(String id) {
        return experts.stream().filter(e -> e != null && id.equals(e.id())).findFirst();
    }

    /** This file with the entry of the same id replaced by {@code entry}, or {@code entry} appended when it is new. */
    public ExpertsFile with(Entry entry) {
        List<Entry> next = new ArrayList<>(experts);
        int at = ids().indexOf(entry.id());
        if (at >= 0) {
            next.set(at, entry);
        } else {
            next.add(entry);
        }
        return new ExpertsFile(defaults, next);
    }

    public ExpertsFile without(String id) {
        return new ExpertsFile(defaults, experts.stream().filter(e -> e == null || !id.equals(e.id())).toList());
    }

    /** Values every expert inherits unless its own entry sets them. */
    public record Defaults(String connectTimeout, String requestTimeout, ResilienceEntry resilience, CacheEntry cache) {
    }

    public record Entry(String id, String provider, String baseUrl, String model, String apiKeyEnv, String description,
                 Boolean enabled, String connectTimeout, String requestTimeout, CostEntry cost,
                 SimulationEntry simulation, ResilienceEntry resilience, CacheEntry cache, LoadEntry load) {
    }

    /** Load limits of a local engine read from its Prometheus metrics (vLLM); the metrics URL defaults from base-url. */
    public record LoadEntry(String metricsUrl, Integer maxRequestsWaiting, Double maxKvCacheUsage, String scrapeInterval) {
    }

    /** Whether and how long this expert's answers are cached. */
    public record CacheEntry(Boolean enabled, String ttl) {
    }

    /** The resilience stack of an expert; every value may be left out to inherit it. */
    public record ResilienceEntry(String firstTokenTimeout, CircuitBreakerEntry circuitBreaker, BulkheadEntry bulkhead,
                           RetryEntry retry, RateLimitEntry rateLimit) {
    }

    public record CircuitBreakerEntry(Float failureRateThreshold, Float slowCallRateThreshold, String slowCallDuration,
                               Integer slidingWindowSize, Integer minimumCalls, String openStateWait, Integer halfOpenCalls) {
    }

    public record BulkheadEntry(Integer maxConcurrentCalls, String maxQueueWait) {
    }

    public record RetryEntry(Integer maxAttempts, String initialBackoff, Double multiplier, Double jitter, String maxBackoff,
                      String maxRetryAfter) {
    }

    public record RateLimitEntry(Integer calls, String per) {
    }

    public record CostEntry(Double activeParamsB, Double inputUsdPerMillion, Double outputUsdPerMillion) {
    }

    public record SimulationEntry(String firstTokenLatency, Double tokensPerSecond, Double errorRate, Integer answerTokens,
                                  Double latencySpread) {
    }
}
