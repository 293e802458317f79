package dev.coe.bench;

import java.time.Duration;

/**
 * One sample of a soak run: the router's resources right after a forced GC, what the clients saw since the previous
 * sample, and the router's and the flaky expert's counters so far. Immutable (the client interval's histogram is
 * not copied: nobody changes it once sampled).
 *
 * @param at        time since the load started
 * @param label     how the report names the row: the time, or "idle" for the sample after the load
 * @param resources the router process's resources
 * @param client    the clients' requests since the previous sample; empty once the load has stopped
 * @param seconds   how long that interval was
 * @param counters  the router's and the flaky expert's counters since the start (cumulative)
 */
record SoakSample(Duration at, String label, RouterProbe.Resources resources, ClientTally.Interval client, double seconds,
                  Counters counters) {

    /**
     * Cumulative counters read with the sample.
     *
     * @param fallbacks      {@code coe_router_fallbacks_total}, all labels
     * @param notPermitted   calls the flaky expert's open breaker refused ({@code resilience4j_circuitbreaker_not_permitted_calls_total})
     * @param retries        {@code coe_expert_retries_total} of the flaky expert
     * @param breakerState   the flaky expert's breaker state at the sample ({@code resilience4j_circuitbreaker_state})
     * @param breakerOpenings the flaky expert's open periods so far, seen from the expert's side as pauses in its calls
     */
    record Counters(double fallbacks, double notPermitted, double retries, String breakerState, long breakerOpenings) {
    }

    double minutes() {
        return at.toMillis() / 60_000.0;
    }

    double requestsPerSecond() {
        return seconds <= 0 ? Double.NaN : client.requests() / seconds;
    }
}
