package dev.coe.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * What the soak's clients saw, per lane (a model and a mode, e.g. {@code auto, streaming}): answers, failures by
 * kind, and latencies. Workers record into it concurrently through {@link #lane}; one sampling thread reads it
 * interval by interval with {@link #interval()}, which also adds each interval to the lane's totals.
 * Recording is thread-safe; {@link #interval()} and the totals must be read from one thread only.
 */
final class ClientTally {

    private static final long HIGHEST_NANOS = Duration.ofMinutes(5).toNanos();

    private final Map<String, Lane> lanes = new LinkedHashMap<>();

    /**
     * @param labels   every lane's label, in the order the report lists them
     * @param backedUp which lanes' requests have a fallback (in the soak: all but those naming {@code flaky})
     */
    ClientTally(List<String> labels, Predicate<String> backedUp) {
        labels.forEach(label -> lanes.put(label, new Lane(label, backedUp.test(label))));
    }

    /**
     * @throws IllegalArgumentException for a label not given to the constructor
     */
    Lane lane(String label) {
        Lane lane = lanes.get(label);
        if (lane == null) {
            throw new IllegalArgumentException("no lane '" + label + "'; lanes are " + lanes.keySet());
        }
        return lane;
    }

    List<Lane> lanes() {
        return List.copyOf(lanes.values());
    }

    /** Everything recorded since the previous call, all lanes together; adds it to each lane's totals. */
    Interval interval() {
        Histogram complete = new Histogram(HIGHEST_NANOS, 3);
        long answered = 0;
        long backedUpAnswered = 0;
        long backedUpRequests = 0;
        Map<String, Long> failures = new TreeMap<>();
        for (Lane lane : lanes.values()) {
            Lane.Delta delta = lane.takeInterval();
            complete.add(delta.complete());
            answered += delta.answered();
            delta.failures().forEach((kind, n) -> failures.merge(kind, n, Long::sum));
            if (lane.backedUp) {
                backedUpAnswered += delta.answered();
                backedUpRequests += delta.answered() + delta.failures().values().stream().mapToLong(Long::longValue).sum();
            }
        }
        return new Interval(answered, failures, backedUpAnswered, backedUpRequests, complete);
    }

    /**
     * One sampling interval, all lanes together.
     *
     * @param backedUpAnswered answered requests of the lanes that have a fallback
     * @param backedUpRequests all requests of those lanes
     * @param complete         latencies of the answered requests (to the whole answer, or to {@code [DONE]}), in nanoseconds
     */
    record Interval(long answered, Map<String, Long> failures, long backedUpAnswered, long backedUpRequests, Histogram complete) {

        long failed() {
            return failures.values().stream().mapToLong(Long::longValue).sum();
        }

        long requests() {
            return answered + failed();
        }
    }

    /** The requests of one model and mode. Recording is thread-safe. */
    static final class Lane implements LoadGenerator.Outcomes {

        private record Delta(long answered, Map<String, Long> failures, Histogram complete) {
        }

        final String label;
        /** Whether these requests have a fallback, so that a failure is the router's, not the expert's. */
        final boolean backedUp;
        private final Recorder complete = new Recorder(HIGHEST_NANOS, 3);
        private final Recorder firstToken = new Recorder(HIGHEST_NANOS, 3);
        private final LongAdder answered = new LongAdder();
        private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        private final AtomicReference<String> firstError = new AtomicReference<>();
        // Read and written by the sampling thread only.
        private final Histogram totalComplete = new Histogram(HIGHEST_NANOS, 3);
        private final Histogram totalFirstToken = new Histogram(HIGHEST_NANOS, 3);
        private long answeredBefore;
        private final Map<String, Long> failuresBefore = new TreeMap<>();

        private Lane(String label, boolean backedUp) {
            this.label = label;
            this.backedUp = backedUp;
        }

        @Override
        public void answered(long completeNanos, long firstTokenNanos, String routeMs) {
            complete.recordValue(Math.min(completeNanos, HIGHEST_NANOS));
            if (firstTokenNanos > 0) {
                firstToken.recordValue(Math.min(firstTokenNanos, HIGHEST_NANOS));
            }
            answered.increment();
        }

        @Override
        public void failed(String kind, String detail) {
            failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
            firstError.compareAndSet(null, detail);
        }

        private Delta takeInterval() {
            Histogram interval = complete.getIntervalHistogram();
            totalComplete.add(interval);
            totalFirstToken.add(firstToken.getIntervalHistogram());
            long answeredNow = answered.sum();
            long answeredDelta = answeredNow - answeredBefore;
            answeredBefore = answeredNow;
            Map<String, Long> failureDelta = new TreeMap<>();
            failures.forEach((kind, adder) -> {
                long now = adder.sum();
                long delta = now - failuresBefore.getOrDefault(kind, 0L);
                failuresBefore.put(kind, now);
                if (delta > 0) {
                    failureDelta.put(kind, delta);
                }
            });
            return new Delta(answeredDelta, failureDelta, interval);
        }

        /** Answers counted into the totals so far (by {@link ClientTally#interval()}). */
        long answeredTotal() {
            return answeredBefore;
        }

        /** Failures by kind counted into the totals so far. */
        Map<String, Long> failuresTotal() {
            return Map.copyOf(failuresBefore);
        }

        long requestsTotal() {
            return answeredBefore + failuresBefore.values().stream().mapToLong(Long::longValue).sum();
        }

        Histogram completeTotal() {
            return totalComplete;
        }

        Histogram firstTokenTotal() {
            return totalFirstToken;
        }

        String firstError() {
            return firstError.get();
        }
    }
}
