package dev.coe.bench;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Network-level faults that {@link SimulatedExpertServer} adds on top of the simulated expert's own errors
 * ({@code SimulationConfig.errorRate}, answered as 503): connections dropped and answers that start late.
 * Each request draws at most one fault. Immutable and thread-safe.
 *
 * @param dropRate  probability in [0, 1] that the connection is cut: half of the time before anything is sent,
 *                  half of the time in the middle of the answer (after half of the streamed tokens, or half of
 *                  the one-piece body)
 * @param slowRate  probability in [0, 1] that nothing is sent for {@code slowDelay}, after which the answer is
 *                  sent normally (to a client that has usually given up by then)
 * @param slowDelay how late a slow answer starts
 */
record FaultInjection(double dropRate, double slowRate, Duration slowDelay) {

    /** No faults: the server answers whatever the simulated expert says. */
    static final FaultInjection NONE = new FaultInjection(0, 0, Duration.ZERO);

    /** What one request gets. */
    enum Fault {
        NONE, DROP_BEFORE_ANSWER, DROP_MID_ANSWER, SLOW
    }

    FaultInjection {
        Objects.requireNonNull(slowDelay, "slowDelay");
        if (!(dropRate >= 0 && dropRate <= 1)) {
            throw new IllegalArgumentException("dropRate must be between 0 and 1, but was " + dropRate);
        }
        if (!(slowRate >= 0 && slowRate <= 1)) {
            throw new IllegalArgumentException("slowRate must be between 0 and 1, but was " + slowRate);
        }
        if (dropRate + slowRate > 1) {
            throw new IllegalArgumentException("dropRate + slowRate must be at most 1, but was " + (dropRate + slowRate));
        }
        if (slowDelay.isNegative()) {
            throw new IllegalArgumentException("slowDelay must not be negative, but was " + slowDelay);
        }
    }

    Fault draw() {
        if (dropRate == 0 && slowRate == 0) {
            return Fault.NONE;
        }
        double x = ThreadLocalRandom.current().nextDouble();
        if (x < dropRate / 2) {
            return Fault.DROP_BEFORE_ANSWER;
        }
        if (x < dropRate) {
            return Fault.DROP_MID_ANSWER;
        }
        return x < dropRate + slowRate ? Fault.SLOW : Fault.NONE;
    }
}
