package dev.coe.gateway.simulated;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The pace of each call of a simulated expert: call {@code i} takes {@code factor} times the configured latency and
 * generation time, with the factors of consecutive calls spread evenly over {@code [1 - spread, 1 + spread]}.
 * Thread-safe.
 * <p>
 * Why evenly rather than at random: a benchmark compares two runs against the same expert (the router and the
 * direct path) by their percentiles. Random factors would move each run's median by several milliseconds (the
 * median of 2,000 draws from a 600 ms wide range wanders by about 7 ms), far more than the router adds. The
 * golden-ratio sequence {@code frac(i / phi)} covers any block of {@code n} consecutive calls with gaps of at most
 * about {@code 2.6 / n}, so every run sees the same mix of fast and slow calls, while neighbouring calls still
 * differ as much as random ones would, which is what keeps closed-loop clients from moving in step.
 */
final class LatencySpread {

    /** 1 / phi: the irrational step whose multiples fill [0, 1) most evenly. */
    private static final double STEP = 0.6180339887498949;

    private final double spread;
    private final AtomicLong calls = new AtomicLong();

    /** @param spread in [0, 1); 0 makes every factor exactly 1 */
    LatencySpread(double spread) {
        if (!(spread >= 0 && spread < 1)) {
            throw new IllegalArgumentException("spread must be at least 0 and below 1, but was " + spread);
        }
        this.spread = spread;
    }

    /** The factor of the next call. */
    double next() {
        return spread == 0 ? 1 : factor(calls.getAndIncrement());
    }

    /** The factor of call {@code index} (from 0). */
    double factor(long index) {
        double u = (index + 1) * STEP;
        return 1 - spread + 2 * spread * (u - Math.floor(u));
    }
}
