package dev.coe.gateway.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * How one expert's calls are guarded: circuit breaker, bulkhead, retry, first-token timeout and an optional
 * rate limit. Immutable and thread-safe; build with {@link #builder()} (every value has a default suited to a
 * hosted API) or {@link #toBuilder()} to override an inherited default, which validates every value and names
 * the one that is wrong.
 * <p>
 * The total timeout of a call is the expert's {@code requestTimeout}; the request deadline across a whole
 * fallback chain comes from the caller as a {@link Deadline}.
 */
public final class ResilienceConfig {

    public static final ResilienceConfig DEFAULTS = builder().build();

    private final float failureRateThreshold;
    private final float slowCallRateThreshold;
    private final Duration slowCallDuration;
    private final int slidingWindowSize;
    private final int minimumCalls;
    private final Duration openStateWait;
    private final int halfOpenCalls;
    private final int maxConcurrentCalls;
    private final Duration maxQueueWait;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final double backoffMultiplier;
    private final double backoffJitter;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;
    private final Duration firstTokenTimeout;
    private final int rateLimitPerPeriod;
    private final Duration rateLimitPeriod;

    private ResilienceConfig(Builder b) {
        this.failureRateThreshold = b.failureRateThreshold;
        this.slowCallRateThreshold = b.slowCallRateThreshold;
        this.slowCallDuration = b.slowCallDuration;
        this.slidingWindowSize = b.slidingWindowSize;
        this.minimumCalls = b.minimumCalls;
        this.openStateWait = b.openStateWait;
        this.halfOpenCalls = b.halfOpenCalls;
        this.maxConcurrentCalls = b.maxConcurrentCalls;
        this.maxQueueWait = b.maxQueueWait;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.backoffMultiplier = b.backoffMultiplier;
        this.backoffJitter = b.backoffJitter;
        this.maxBackoff = b.maxBackoff;
        this.maxRetryAfter = b.maxRetryAfter;
        this.firstTokenTimeout = b.firstTokenTimeout;
        this.rateLimitPerPeriod = b.rateLimitPerPeriod;
        this.rateLimitPeriod = b.rateLimitPeriod;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Percentage of failed calls in the sliding window that opens the breaker. */
    public float failureRateThreshold() { return failureRateThreshold; }

    /** Percentage of slow calls in the sliding window that opens the breaker. */
    public float slowCallRateThreshold() { return slowCallRateThreshold; }

    /** A call is slow when its first token (streams) or its whole answer (one-piece calls) takes longer than this. */
    public Duration slowCallDuration() { return slowCallDuration; }

    /** Number of most recent calls the breaker judges. */
    public int slidingWindowSize() { return slidingWindowSize; }

    /** Calls needed in the window before the breaker judges at all. */
    public int minimumCalls() { return minimumCalls; }

    /** How long an open breaker refuses calls before letting probes through. */
    public Duration openStateWait() { return openStateWait; }

    /** Probe calls a half-open breaker lets through; all succeeding closes it. */
    public int halfOpenCalls() { return halfOpenCalls; }

    /** Bulkhead: calls in flight at once (protects a local GPU engine from a queue it cannot serve). */
    public int maxConcurrentCalls() { return maxConcurrentCalls; }

    /** Bulkhead: how long a call waits for a free slot before the next expert is tried instead. */
    public Duration maxQueueWait() { return maxQueueWait; }

    /** Tries per call, the first included; 1 means no retry. */
    public int maxAttempts() { return maxAttempts; }

    public Duration initialBackoff() { return initialBackoff; }

    public double backoffMultiplier() { return backoffMultiplier; }

    /** Randomization factor of the backoff, in [0, 1): 0.5 waits between half and one and a half times the backoff. */
    public double backoffJitter() { return backoffJitter; }

    public Duration maxBackoff() { return maxBackoff; }

    /** The longest {@code Retry-After} honoured by waiting; a longer one moves on to the next expert at once. */
    public Duration maxRetryAfter() { return maxRetryAfter; }

    /**
     * Longest wait for the first token of a stream. A one-piece call has no first token before its whole answer, so
     * it is bounded by the expert's request timeout (and the caller's deadline) only.
     */
    public Duration firstTokenTimeout() { return firstTokenTimeout; }

    /** Calls allowed per {@link #rateLimitPeriod()}; 0 means no rate limit. */
    public int rateLimitPerPeriod() { return rateLimitPerPeriod; }

    public Duration rateLimitPeriod() { return rateLimitPeriod; }

    public boolean rateLimited() { return rateLimitPerPeriod > 0; }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.failureRateThreshold = failureRateThreshold;
        b.slowCallRateThreshold = slowCallRateThreshold;
        b.slowCallDuration = slowCallDuration;
        b.slidingWindowSize = slidingWindowSize;
        b.minimumCalls = minimumCalls;
        b.openStateWait = openStateWait;
        b.halfOpenCalls = halfOpenCalls;
        b.maxConcurrentCalls = maxConcurrentCalls;
        b.maxQueueWait = maxQueueWait;
        b.maxAttempts = maxAttempts;
        b.initialBackoff = initialBackoff;
        b.backoffMultiplier = backoffMultiplier;
        b.backoffJitter = backoffJitter;
        b.maxBackoff = maxBackoff;
        b.maxRetryAfter = maxRetryAfter;
        b.firstTokenTimeout = firstTokenTimeout;
        b.rateLimitPerPeriod = rateLimitPerPeriod;
        b.rateLimitPeriod = rateLimitPeriod;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResilienceConfig c && failureRateThreshold == c.failureRateThreshold
                && slowCallRateThreshold == c.slowCallRateThreshold && slowCallDuration.equals(c.slowCallDuration)
                && slidingWindowSize == c.slidingWindowSize && minimumCalls == c.minimumCalls
                && openStateWait.equals(c.openStateWait) && halfOpenCalls == c.halfOpenCalls
                && maxConcurrentCalls == c.maxConcurrentCalls && maxQueueWait.equals(c.maxQueueWait)
                && maxAttempts == c.maxAttempts && initialBackoff.equals(c.initialBackoff)
                && backoffMultiplier == c.backoffMultiplier && backoffJitter == c.backoffJitter
                && maxBackoff.equals(c.maxBackoff) && maxRetryAfter.equals(c.maxRetryAfter)
                && firstTokenTimeout.equals(c.firstTokenTimeout) && rateLimitPerPeriod == c.rateLimitPerPeriod
                && rateLimitPeriod.equals(c.rateLimitPeriod);
    }

    @Override
    public int hashCode() {
        return Objects.hash(failureRateThreshold, slidingWindowSize, maxConcurrentCalls, maxAttempts, firstTokenTimeout);
    }

    @Override
    public String toString() {
        return "ResilienceConfig{breaker=" + failureRateThreshold + "%/" + slidingWindowSize + " calls, open " + openStateWait
                + ", bulkhead=" + maxConcurrentCalls + " wait " + maxQueueWait + ", attempts=" + maxAttempts
                + ", firstToken=" + firstTokenTimeout + (rateLimited() ? ", rate=" + rateLimitPerPeriod + "/" + rateLimitPeriod : "") + "}";
    }

    /** Validating builder for {@link ResilienceConfig}. Not thread-safe. */
    public static final class Builder {
        private float failureRateThreshold = 50;
        private float slowCallRateThreshold = 100;
        private Duration slowCallDuration = Duration.ofSeconds(30);
        private int slidingWindowSize = 20;
        private int minimumCalls = 10;
        private Duration openStateWait = Duration.ofSeconds(30);
        private int halfOpenCalls = 2;
        private int maxConcurrentCalls = 256;
        private Duration maxQueueWait = Duration.ZERO;
        private int maxAttempts = 2;
        private Duration initialBackoff = Duration.ofMillis(200);
        private double backoffMultiplier = 2.0;
        private double backoffJitter = 0.5;
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Duration maxRetryAfter = Duration.ofSeconds(10);
        private Duration firstTokenTimeout = Duration.ofSeconds(30);
        private int rateLimitPerPeriod = 0;
        private Duration rateLimitPeriod = Duration.ofSeconds(1);

        private Builder() {
        }

        public Builder failureRateThreshold(float v) { this.failureRateThreshold = v; return this; }
        public Builder slowCallRateThreshold(float v) { this.slowCallRateThreshold = v; return this; }
        public Builder slowCallDuration(Duration v) { this.slowCallDuration = v; return this; }
        public Builder slidingWindowSize(int v) { this.slidingWindowSize = v; return this; }
        public Builder minimumCalls(int v) { this.minimumCalls = v; return this; }
        public Builder openStateWait(Duration v) { this.openStateWait = v; return this; }
        public Builder halfOpenCalls(int v) { this.halfOpenCalls = v; return this; }
        public Builder maxConcurrentCalls(int v) { this.maxConcurrentCalls = v; return this; }
        public Builder maxQueueWait(Duration v) { this.maxQueueWait = v; return this; }
        public Builder maxAttempts(int v) { this.maxAttempts = v; return this; }
        public Builder initialBackoff(Duration v) { this.initialBackoff = v; return this; }
        public Builder backoffMultiplier(double v) { this.backoffMultiplier = v; return this; }
        public Builder backoffJitter(double v) { this.backoffJitter = v; return this; }
        public Builder maxBackoff(Duration v) { this.maxBackoff = v; return this; }
        public Builder maxRetryAfter(Duration v) { this.maxRetryAfter = v; return this; }
        public Builder firstTokenTimeout(Duration v) { this.firstTokenTimeout = v; return this; }
        public Builder rateLimitPerPeriod(int v) { this.rateLimitPerPeriod = v; return this; }
        public Builder rateLimitPeriod(Duration v) { this.rateLimitPeriod = v; return this; }

        /**
         * @throws IllegalArgumentException naming the first value that is out of range
         */
        public ResilienceConfig build() {
            percentage("failure-rate-threshold", failureRateThreshold);
            percentage("slow-call-rate-threshold", slowCallRateThreshold);
            positive("slow-call-duration", slowCallDuration);
            atLeast("sliding-window-size", slidingWindowSize, 1);
            atLeast("minimum-calls", minimumCalls, 1);
            positive("open-state-wait", openStateWait);
            atLeast("half-open-calls", halfOpenCalls, 1);
            atLeast("max-concurrent-calls", maxConcurrentCalls, 1);
            notNegative("max-queue-wait", maxQueueWait);
            atLeast("max-attempts", maxAttempts, 1);
            positive("initial-backoff", initialBackoff);
            if (!(backoffMultiplier >= 1.0)) {
                throw new IllegalArgumentException("backoff-multiplier must be at least 1, but was " + backoffMultiplier);
            }
            if (!(backoffJitter >= 0.0 && backoffJitter < 1.0)) {
                throw new IllegalArgumentException("backoff-jitter must be in [0, 1), but was " + backoffJitter);
            }
            positive("max-backoff", maxBackoff);
            notNegative("max-retry-after", maxRetryAfter);
            positive("first-token-timeout", firstTokenTimeout);
            atLeast("rate-limit-per-period", rateLimitPerPeriod, 0);
            positive("rate-limit-period", rateLimitPeriod);
            return new ResilienceConfig(this);
        }

        private static void percentage(String name, float v) {
            if (!(v > 0 && v <= 100)) {
                throw new IllegalArgumentException(name + " must be a percentage in (0, 100], but was " + v);
            }
        }

        private static void atLeast(String name, int v, int min) {
            if (v < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ", but was " + v);
            }
        }

        private static void positive(String name, Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be a positive duration, but was " + d);
            }
        }

        private static void notNegative(String name, Duration d) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, but was " + d);
            }
        }
    }
}
