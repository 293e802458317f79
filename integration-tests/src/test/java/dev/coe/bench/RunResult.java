package dev.coe.bench;

import org.HdrHistogram.Histogram;

import java.time.Duration;

/**
 * What one measured run recorded: latencies of the successful requests in nanoseconds, the router's
 * {@code x-coe-route-ms} in microseconds, and the failures. Percentiles are read from the histograms: latencies
 * to four significant digits (a 0.01 % bucket: 0.06 ms at a 600 ms answer, where three digits would blur a
 * difference of two paths' p50 by half a millisecond), route times to three. Not thread-safe: each worker fills its
 * own, and they are merged at the end.
 */
final class RunResult implements LoadGenerator.Outcomes {

    /** Longest latency the histograms hold; a request is bounded by far less. */
    private static final long HIGHEST_NANOS = Duration.ofMinutes(5).toNanos();

    /** Latencies are told apart down to a microsecond; finer would only cost memory. */
    private static final long LOWEST_NANOS = 1_000;
    private static final int LATENCY_DIGITS = 4;

    /** Request to fully read answer (non-streaming) or to {@code data: [DONE]} (streaming). */
    final Histogram complete = new Histogram(LOWEST_NANOS, HIGHEST_NANOS, LATENCY_DIGITS);
    /** Request to the first event with non-empty content; empty for non-streaming runs. */
    final Histogram firstToken = new Histogram(LOWEST_NANOS, HIGHEST_NANOS, LATENCY_DIGITS);
    /**
     * Per request, the time to the full answer less the expert's own time for it ({@link ExpertTimes}): what the
     * client, the network and the router (when in the path) added. Empty where the expert did not time the requests.
     */
    final Histogram outsideComplete = new Histogram(LOWEST_NANOS, HIGHEST_NANOS, LATENCY_DIGITS);
    /** The same to the first content token; empty for non-streaming runs. */
    final Histogram outsideFirstToken = new Histogram(LOWEST_NANOS, HIGHEST_NANOS, LATENCY_DIGITS);
    /** The router's own {@code x-coe-route-ms}, in microseconds; empty for direct calls. */
    final Histogram routeMicros = new Histogram(HIGHEST_NANOS / 1000, 3);
    int errors;
    /** Answers to {@code model: "auto"} that the router gave unclassified, on its fallback chain (classifier busy). */
    int unclassified;
    String firstError;
    Duration elapsed = Duration.ZERO;
    /** CPU time the router process used during the run, or null when not measured (direct calls, background load). */
    Duration routerCpu;

    @Override
    public void answered(long completeNanos, long firstTokenNanos, String routeMs) {
        complete.recordValue(completeNanos);
        if (firstTokenNanos > 0) {
            firstToken.recordValue(firstTokenNanos);
        }
        if (routeMs != null) {
            try {
                routeMicros.recordValue(Math.round(Double.parseDouble(routeMs) * 1000));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                failed("bad header", "bad x-coe-route-ms '" + routeMs + "'");
            }
        }
    }

    @Override
    public void outsideExpert(long completeNanos, long firstTokenNanos) {
        // One clock on both ends, so never negative; the lowest bucket still keeps a value of a few nanoseconds honest.
        outsideComplete.recordValue(Math.max(LOWEST_NANOS, completeNanos));
        if (firstTokenNanos >= 0) {
            outsideFirstToken.recordValue(Math.max(LOWEST_NANOS, firstTokenNanos));
        }
    }

    @Override
    public void unclassified() {
        unclassified++;
    }

    @Override
    public void failed(String kind, String detail) {
        errors++;
        if (firstError == null) {
            firstError = detail;
        }
    }

    void add(RunResult other) {
        complete.add(other.complete);
        firstToken.add(other.firstToken);
        outsideComplete.add(other.outsideComplete);
        outsideFirstToken.add(other.outsideFirstToken);
        routeMicros.add(other.routeMicros);
        errors += other.errors;
        unclassified += other.unclassified;
        if (firstError == null) {
            firstError = other.firstError;
        }
    }

    long succeeded() {
        return complete.getTotalCount();
    }

    /**
     * The router's CPU time per answered request in milliseconds, less what it burns idle over the run's duration, or
     * NaN when not measured.
     */
    double routerCpuMillisPerRequest(double idleCpuMillisPerSecond) {
        if (routerCpu == null || succeeded() == 0) {
            return Double.NaN;
        }
        double idle = Double.isNaN(idleCpuMillisPerSecond) ? 0 : idleCpuMillisPerSecond * elapsed.toNanos() / 1e9;
        return Math.max(0, routerCpu.toNanos() / 1e6 - idle) / succeeded();
    }

    double throughputPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds <= 0 ? 0 : succeeded() / seconds;
    }

    /** A percentile of {@code histogram} in milliseconds (nanosecond histograms). */
    static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1e6;
    }
}
