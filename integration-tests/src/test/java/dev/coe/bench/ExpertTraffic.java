package dev.coe.bench;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What a {@link SimulatedExpertServer} was asked and how it answered, counted as the calls arrive: the server's
 * own view of the traffic, independent of the router's metrics. It also counts <em>pauses</em>: stretches of at
 * least {@code pauseThreshold} without any call. Under steady load the only thing that stops all calls to an
 * expert is the router's circuit breaker being open, so pauses count the breaker's open periods from outside.
 * Thread-safe.
 */
final class ExpertTraffic {

    /** How a call ended, as far as the server knows. */
    enum Outcome {
        ANSWERED, ERROR_503, DROPPED_BEFORE_ANSWER, DROPPED_MID_ANSWER, SLOW
    }

    private static final long NONE_YET = Long.MIN_VALUE;

    private final LongSupplier nanoTime;
    private final long pauseThresholdNanos;
    private final Map<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);
    private final LongAdder calls = new LongAdder();
    /** When the latest call arrived; {@link #NONE_YET} before the first, so that start-up is no pause. */
    private final AtomicLong lastArrival = new AtomicLong(NONE_YET);
    private final LongAdder pauses = new LongAdder();
    private final LongAdder pausedNanos = new LongAdder();

    /**
     * @param pauseThreshold the shortest silence counted as a pause; well above the gaps that load alone leaves
     */
    ExpertTraffic(Duration pauseThreshold) {
        this(pauseThreshold, System::nanoTime);
    }

    /** @param nanoTime the ticker arrivals are timed with; tests pass their own */
    ExpertTraffic(Duration pauseThreshold, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.pauseThresholdNanos = pauseThreshold.toNanos();
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, new LongAdder());
        }
    }

    /** Counts nothing as a pause: for servers whose pauses nobody reads. */
    static ExpertTraffic untimed() {
        return new ExpertTraffic(Duration.ofDays(365));
    }

    /** A call arrived; the server will report how it ended with {@link #ended} (unless the client went away first). */
    void arrived() {
        calls.increment();
        long now = nanoTime.getAsLong();
        long previous = lastArrival.getAndSet(now);
        long gap = now - previous;
        if (previous != NONE_YET && gap >= pauseThresholdNanos) {
            pauses.increment();
            pausedNanos.add(gap);
        }
    }

    /** How a call ended; each call ends at most once. */
    void ended(Outcome outcome) {
        outcomes.get(outcome).increment();
    }

    long count(Outcome outcome) {
        return outcomes.get(outcome).sum();
    }

    /** Calls that arrived, however they ended. */
    long calls() {
        return calls.sum();
    }

    /** Silences of at least the threshold that have ended (a pause still going on counts once the next call arrives). */
    long pauses() {
        return pauses.sum();
    }

    Duration pausedTime() {
        return Duration.ofNanos(pausedNanos.sum());
    }
}
