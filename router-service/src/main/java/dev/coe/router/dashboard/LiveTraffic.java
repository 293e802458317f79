package dev.coe.router.dashboard;

import dev.coe.gateway.RetriableExpertException;
import dev.coe.gateway.cache.CacheStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the router did over the last minutes, for the live view: per expert, calls, errors, gateway refusals, latency
 * percentiles and cache hits; per category, requests and which experts answered them, in time buckets; and the last
 * routing decisions. Memory is bounded: a ring of {@code window / bucket} buckets, each with at most
 * {@link #MAX_KEYS} experts and categories (more are counted under {@link #OTHER}), and the last
 * {@code recentDecisions} outcomes. Thread-safe: recording and reading take one short lock.
 */
public final class LiveTraffic {

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    public static final Duration DEFAULT_BUCKET = Duration.ofSeconds(10);
    public static final int DEFAULT_RECENT_DECISIONS = 200;
    /** Experts (and categories) per bucket; they come from config, so this only guards against a misconfiguration. */
    static final int MAX_KEYS = 256;
    static final String OTHER = "other";
    /** The answering "expert" of a request that no expert answered. */
    public static final String NONE = "none";
    private static final Set<String> REFUSALS = Arrays.stream(RetriableExpertException.Reason.values())
            .filter(RetriableExpertException.Reason::refusedByGateway)
            .map(r -> r.name().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());

    private final Clock clock;
    private final long bucketMillis;
    private final Bucket[] ring;
    private final int recentLimit;
    private final ArrayDeque<RequestOutcome> recent;

    private LiveTraffic(Clock clock, Duration window, Duration bucket, int recentDecisions) {
        if (bucket.toMillis() < 1 || window.compareTo(bucket) < 0) {
            throw new IllegalArgumentException("bucket must be at least 1 ms and window at least one bucket, but were "
                    + bucket + " and " + window);
        }
        if (window.toMillis() / bucket.toMillis() > 10_000) {
            throw new IllegalArgumentException("window / bucket must be at most 10000 buckets, but was " + window + " / " + bucket);
        }
        if (recentDecisions < 0) {
            throw new IllegalArgumentException("recentDecisions must be at least 0, but was " + recentDecisions);
        }
        this.clock = clock;
        this.bucketMillis = bucket.toMillis();
        this.ring = new Bucket[(int) (window.toMillis() / bucketMillis)];
        this.recentLimit = recentDecisions;
        this.recent = new ArrayDeque<>(Math.min(recentDecisions, 1024));
    }

    /**
     * @throws IllegalArgumentException if the bucket is under 1 ms, the window shorter than a bucket or more than 10000
     *                                  buckets long, or {@code recentDecisions} negative
     */
    public static LiveTraffic of(Clock clock, Duration window, Duration bucket, int recentDecisions) {
        return new LiveTraffic(clock, window, bucket, recentDecisions);
    }

    public static LiveTraffic ofDefaults(Clock clock) {
        return of(clock, DEFAULT_WINDOW, DEFAULT_BUCKET, DEFAULT_RECENT_DECISIONS);
    }

    /** Counts one finished request in the bucket of now, and keeps it among the recent decisions. */
    public synchronized void record(RequestOutcome outcome) {
        Bucket bucket = current(clock.millis() / bucketMillis);
        String category = bucket.key(bucket.categories, outcome.decision().category());
        CategoryCounts c = bucket.categories.computeIfAbsent(category, k -> new CategoryCounts());
        c.requests++;
        c.answeredBy.merge(outcome.answeredBy() == null ? NONE : bucket.key(c.answeredBy, outcome.answeredBy().value()), 1L, Long::sum);
        for (ExpertCall call : outcome.calls()) {
            if (call.outcome().equals(ExpertCall.SKIPPED)) {
                continue;
            }
            ExpertCounts e = bucket.experts.computeIfAbsent(bucket.key(bucket.experts, call.expert().value()), k -> new ExpertCounts());
            if (REFUSALS.contains(call.outcome())) {
                e.refused++;
                continue;
            }
            e.calls++;
            if (!call.outcome().equals(ExpertCall.OK)) {
                e.errors++;
                e.latencies.record(call.nanos());
            } else if (outcome.cache() == CacheStatus.HIT) {
                // A cache hit says nothing about the expert's speed: count it, keep it out of the latencies.
                e.cacheHits++;
            } else {
                e.cacheMisses += outcome.cache() == CacheStatus.MISS ? 1 : 0;
                e.latencies.record(call.nanos());
            }
        }
        if (recentLimit > 0) {
            if (recent.size() == recentLimit) {
                recent.removeFirst();
            }
            recent.addLast(outcome);
        }
    }

    /** The figures over the window that ends now. */
    public synchronized Snapshot snapshot() {
        long now = clock.millis() / bucketMillis;
        List<Bucket> buckets = new ArrayList<>(ring.length);
        List<TimeBucket> timeline = new ArrayList<>(ring.length);
        for (long i = now - ring.length + 1; i <= now; i++) {
            Bucket b = ring[(int) Math.floorMod(i, (long) ring.length)];
            boolean inWindow = b != null && b.index == i;
            if (inWindow) {
                buckets.add(b);
            }
            timeline.add(new TimeBucket(Instant.ofEpochMilli(i * bucketMillis),
                    inWindow ? b.categoryRequests() : Map.of(), inWindow ? b.answers() : Map.of()));
        }
        List<RequestOutcome> newestFirst = new ArrayList<>(recent);
        java.util.Collections.reverse(newestFirst);
        return new Snapshot(clock.instant(), Duration.ofMillis(ring.length * bucketMillis), Duration.ofMillis(bucketMillis),
                experts(buckets), categories(buckets), timeline, newestFirst);
    }

    private Bucket current(long index) {
        int slot = (int) Math.floorMod(index, (long) ring.length);
        Bucket b = ring[slot];
        if (b == null || b.index != index) {
            b = new Bucket(index);
            ring[slot] = b;
        }
        return b;
    }

    private static Map<String, ExpertWindow> experts(List<Bucket> buckets) {
        Map<String, List<ExpertCounts>> byExpert = new TreeMap<>();
        buckets.forEach(b -> b.experts.forEach((id, counts) -> byExpert.computeIfAbsent(id, k -> new ArrayList<>()).add(counts)));
        Map<String, ExpertWindow> result = new TreeMap<>();
        byExpert.forEach((id, counts) -> result.put(id, ExpertWindow.of(counts)));
        return result;
    }

    private static Map<String, CategoryWindow> categories(List<Bucket> buckets) {
        Map<String, CategoryWindow> result = new TreeMap<>();
        for (Bucket b : buckets) {
            b.categories.forEach((id, c) -> {
                CategoryWindow sum = result.getOrDefault(id, new CategoryWindow(0, Map.of()));
                Map<String, Long> answered = new TreeMap<>(sum.answeredBy());
                c.answeredBy.forEach((expert, n) -> answered.merge(expert, n, Long::sum));
                result.put(id, new CategoryWindow(sum.requests() + c.requests, answered));
            });
        }
        return result;
    }

    /**
     * The live figures at one moment. Immutable.
     *
     * @param at         when they were taken
     * @param window     how far back the per-expert and per-category figures reach
     * @param bucket     the width of one entry of {@code timeline}
     * @param experts    per expert that was tried in the window
     * @param categories per category that had requests in the window
     * @param timeline   every bucket of the window, oldest first, empty ones included
     * @param recent     the last routing decisions, newest first (not limited to the window)
     */
    public record Snapshot(Instant at, Duration window, Duration bucket, Map<String, ExpertWindow> experts,
                           Map<String, CategoryWindow> categories, List<TimeBucket> timeline, List<RequestOutcome> recent) {
    }

    /**
     * One expert over the window. Rates and percentiles are null when there was nothing to compute them from.
     *
     * @param calls        calls sent to the expert (answered or failed); gateway refusals are not calls
     * @param errors       calls that failed (timeouts, errors, rejections)
     * @param refused      calls the gateway refused to send: breaker open, bulkhead full, engine overloaded, disabled
     * @param errorRate    errors / calls
     * @param p50Millis    median latency of the calls, answered from the cache excepted (a stream: to its first token)
     * @param p99Millis    99th percentile of the same
     * @param cacheHits    answers served from the response cache
     * @param cacheMisses  answers that looked in the cache and had to call the expert
     * @param cacheHitRate hits / (hits + misses); requests that bypassed the cache do not count
     */
    public record ExpertWindow(long calls, long errors, long refused, Double errorRate, Double p50Millis, Double p99Millis,
                               long cacheHits, long cacheMisses, Double cacheHitRate) {

        static ExpertWindow of(List<ExpertCounts> counts) {
            long calls = 0, errors = 0, refused = 0, hits = 0, misses = 0;
            long[] latencies = new long[LatencyHistogram.SIZE];
            for (ExpertCounts c : counts) {
                calls += c.calls;
                errors += c.errors;
                refused += c.refused;
                hits += c.cacheHits;
                misses += c.cacheMisses;
                c.latencies.addTo(latencies);
            }
            return new ExpertWindow(calls, errors, refused, calls == 0 ? null : (double) errors / calls,
                    millis(LatencyHistogram.quantile(latencies, 0.5)), millis(LatencyHistogram.quantile(latencies, 0.99)),
                    hits, misses, hits + misses == 0 ? null : (double) hits / (hits + misses));
        }

        private static Double millis(Double nanos) {
            return nanos == null ? null : Math.round(nanos / 10_000.0) / 100.0;
        }
    }

    /**
     * One category over the window.
     *
     * @param requests   requests routed to it
     * @param answeredBy how many of them each expert answered; {@value #NONE} for those no expert answered
     */
    public record CategoryWindow(long requests, Map<String, Long> answeredBy) {
    }

    /**
     * One bucket of the timeline.
     *
     * @param start      its start
     * @param categories requests per category
     * @param experts    answers per expert ({@value #NONE}: requests no expert answered)
     */
    public record TimeBucket(Instant start, Map<String, Long> categories, Map<String, Long> experts) {
    }

    private static final class Bucket {
        final long index;
        final Map<String, ExpertCounts> experts = new HashMap<>();
        final Map<String, CategoryCounts> categories = new HashMap<>();

        Bucket(long index) {
            this.index = index;
        }

        /** {@code key} if the map has room for it, else {@link #OTHER}. */
        String key(Map<String, ?> map, String key) {
            return map.size() < MAX_KEYS || map.containsKey(key) ? key : OTHER;
        }

        Map<String, Long> categoryRequests() {
            Map<String, Long> result = new TreeMap<>();
            categories.forEach((id, c) -> result.put(id, c.requests));
            return result;
        }

        Map<String, Long> answers() {
            Map<String, Long> result = new TreeMap<>();
            categories.values().forEach(c -> c.answeredBy.forEach((e, n) -> result.merge(e, n, Long::sum)));
            return result;
        }
    }

    private static final class ExpertCounts {
        long calls;
        long errors;
        long refused;
        long cacheHits;
        long cacheMisses;
        final LatencyHistogram latencies = new LatencyHistogram();
    }

    private static final class CategoryCounts {
        long requests;
        final Map<String, Long> answeredBy = new HashMap<>();
    }
}
