package dev.coe.gateway;

import java.time.Duration;
import java.util.Objects;

/**
 * How a simulated expert behaves: how long before its first token, how fast it "generates", and
 * how often it fails. Used by the {@code demo} profile and as the target of load tests.
 *
 * @param firstTokenLatency time before the first token (and before a non-streaming answer starts)
 * @param tokensPerSecond   generation speed; 0 means "all at once"
 * @param errorRate         probability in [0, 1] that a call fails with a retriable 503-like error
 * @param answerTokens      how many tokens each answer has
 * @param latencySpread     in [0, 1): how much calls differ in speed. Call {@code i}'s first-token latency and
 *                          generation time are both scaled by a factor in {@code [1 - spread, 1 + spread]}, spread
 *                          evenly over consecutive calls (see {@code LatencySpread}). 0: every call takes the same
 *                          time. Real engines answer some prompts much sooner than others; a load test whose clients
 *                          all wait exactly as long moves in step and arrives in bursts.
 */
public record SimulationConfig(Duration firstTokenLatency, double tokensPerSecond, double errorRate, int answerTokens,
                               double latencySpread) {

    public static final Duration DEFAULT_FIRST_TOKEN_LATENCY = Duration.ofMillis(50);
    public static final double DEFAULT_TOKENS_PER_SECOND = 200;
    public static final int DEFAULT_ANSWER_TOKENS = 40;

    public static final SimulationConfig DEFAULT =
            new SimulationConfig(DEFAULT_FIRST_TOKEN_LATENCY, DEFAULT_TOKENS_PER_SECOND, 0.0, DEFAULT_ANSWER_TOKENS);

    public SimulationConfig {
        Objects.requireNonNull(firstTokenLatency, "firstTokenLatency");
        if (firstTokenLatency.isNegative()) {
            throw new IllegalArgumentException("firstTokenLatency must not be negative, but was " + firstTokenLatency);
        }
        if (!(tokensPerSecond >= 0)) {
            throw new IllegalArgumentException("tokensPerSecond must be >= 0, but was " + tokensPerSecond);
        }
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("errorRate must be between 0 and 1, but was " + errorRate);
        }
        if (answerTokens < 1) {
            throw new IllegalArgumentException("answerTokens must be >= 1, but was " + answerTokens);
        }
        if (!(latencySpread >= 0 && latencySpread < 1)) {
            throw new IllegalArgumentException("latencySpread must be at least 0 and below 1, but was " + latencySpread);
        }
    }

    /** Every call equally fast (no latency spread). */
    public SimulationConfig(Duration firstTokenLatency, double tokensPerSecond, double errorRate, int answerTokens) {
        this(firstTokenLatency, tokensPerSecond, errorRate, answerTokens, 0);
    }
}
