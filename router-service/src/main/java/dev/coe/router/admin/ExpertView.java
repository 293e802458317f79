package dev.coe.router.admin;

import dev.coe.gateway.Cost;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.resilience.ResilienceConfig;

import java.time.Duration;
import java.util.List;

/**
 * An expert of the live version as the admin API shows it, every setting resolved (its editable definition is
 * served apart, as an {@code experts.yaml} entry). The API key appears only as the NAME of its environment variable, and whether that variable is set.
 *
 * @param routable     whether the live version lets rules name it ({@code DELETE /admin/api/experts/{id}} clears it)
 * @param referencedBy where the live version names it
 */
record ExpertView(String id, String provider, String baseUrl, String model, String description, String apiKeyEnv,
                  boolean apiKeySet, Cost cost, String connectTimeout, String requestTimeout, String cacheTtl,
                  Resilience resilience, boolean routable, List<String> referencedBy) {

    record Resilience(String firstTokenTimeout, CircuitBreaker circuitBreaker, Bulkhead bulkhead, Retry retry,
                      RateLimit rateLimit) {
    }

    record CircuitBreaker(float failureRateThreshold, float slowCallRateThreshold, String slowCallDuration,
                          int slidingWindowSize, int minimumCalls, String openStateWait, int halfOpenCalls) {
    }

    record Bulkhead(int maxConcurrentCalls, String maxQueueWait) {
    }

    record Retry(int maxAttempts, String initialBackoff, double multiplier, double jitter, String maxBackoff,
                 String maxRetryAfter) {
    }

    record RateLimit(int calls, String per) {
    }

    static ExpertView of(ExpertConfig c, RoutingConfig live) {
        String id = c.id().toString();
        String keyEnv = c.apiKeyEnv().orElse(null);
        return new ExpertView(id, c.provider().configName(), c.baseUrl() == null ? null : c.baseUrl().toString(), c.model(),
                c.description(), keyEnv, keySet(keyEnv), c.cost(),
                text(c.connectTimeout()), text(c.requestTimeout()), text(c.cacheTtl()), resilience(c.resilience()),
                live.experts().contains(id), live.referencesTo(id));
    }

    /** Set and not blank: compose passes an unset key as an empty string, which the expert factory treats as unset too. */
    private static boolean keySet(String variable) {
        String value = variable == null ? null : System.getenv(variable);
        return value != null && !value.isBlank();
    }

    private static Resilience resilience(ResilienceConfig r) {
        return new Resilience(text(r.firstTokenTimeout()),
                new CircuitBreaker(r.failureRateThreshold(), r.slowCallRateThreshold(), text(r.slowCallDuration()),
                        r.slidingWindowSize(), r.minimumCalls(), text(r.openStateWait()), r.halfOpenCalls()),
                new Bulkhead(r.maxConcurrentCalls(), text(r.maxQueueWait())),
                new Retry(r.maxAttempts(), text(r.initialBackoff()), r.backoffMultiplier(), r.backoffJitter(),
                        text(r.maxBackoff()), text(r.maxRetryAfter())),
                r.rateLimited() ? new RateLimit(r.rateLimitPerPeriod(), text(r.rateLimitPeriod())) : null);
    }

    /** Durations as experts.yaml writes them: {@code 30s}, {@code 50ms}. */
    static String text(Duration d) {
        if (d == null) {
            return null;
        }
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
