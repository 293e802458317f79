package dev.coe.gateway.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The in-memory {@link ResponseCache}: a Caffeine {@link AsyncCache} bounded by the estimated bytes of its
 * answers, each answer expiring after its own time to live. Thread-safe. Build with {@link #builder()}.
 * <p>
 * Coalescing: the first caller for a key puts an incomplete future into the cache and runs the call on its own
 * thread (the router calls from virtual threads, so waiting is cheap and no pool is needed); later callers find
 * that future and wait for it. A call in flight weighs nothing and never expires; when it fails the future is
 * removed, so nothing is stored. Cache maintenance (eviction, expiry) runs on the calling threads, which keeps
 * it deterministic under a fake {@link Ticker}.
 * <p>
 * Metrics, with a {@link MeterRegistry}: Micrometer's Caffeine binder under the cache name (default
 * {@value #DEFAULT_NAME}: {@code cache.gets}, {@code cache.evictions}, {@code cache.size}, ...) plus
 * {@code cache.weight} (estimated bytes held) and {@code cache.coalesced} (callers that waited for an identical
 * call in flight), tagged {@code cache=<name>}, and {@code cache.shared.gets} (result hit or miss) for the
 * {@link SharedAnswers second level}, when there is one.
 */
public final class CaffeineResponseCache implements ResponseCache {

    public static final long DEFAULT_MAXIMUM_WEIGHT_BYTES = 64L * 1024 * 1024;
    public static final String DEFAULT_NAME = "coe.responses";

    private final AsyncCache<CacheKey, CachedAnswer> cache;
    private final ConcurrentStatsCounter statsCounter = new ConcurrentStatsCounter();
    private final LongAdder coalesced = new LongAdder();
    private final SharedAnswers shared;
    private final LongAdder sharedHits = new LongAdder();
    private final LongAdder sharedMisses = new LongAdder();

    private CaffeineResponseCache(Builder b) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(b.maximumWeightBytes)
                .weigher((CacheKey key, CachedAnswer answer) -> answer.weight())
                .expireAfter(Expiry.writing((CacheKey key, CachedAnswer answer) -> answer.ttl()))
                .ticker(b.ticker)
                .executor(Runnable::run)
                .recordStats(() -> statsCounter)
                .buildAsync();
        this.shared = b.shared;
        if (b.meterRegistry != null) {
            bindMetrics(b.meterRegistry, b.name);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<ChatResponse> get(CacheKey key) {
        Objects.requireNonNull(key, "key");
        // asMap() does not count; this counts a call in flight as a miss, since it returns nothing.
        CompletableFuture<CachedAnswer> future = cache.asMap().get(key);
        CachedAnswer answer = future != null && future.isDone() && !future.isCompletedExceptionally()
                ? future.getNow(null) : null;
        if (answer == null) {
            Optional<ChatResponse> fromShared = future == null ? fromShared(key) : Optional.empty();
            if (fromShared.isPresent()) {
                statsCounter.recordHits(1);
                return fromShared;
            }
            statsCounter.recordMisses(1);
            return Optional.empty();
        }
        statsCounter.recordHits(1);
        return Optional.of(answer.response());
    }

    @Override
    public void put(CacheKey key, ChatResponse response, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(response, "response");
        cache.put(key, CompletableFuture.completedFuture(CachedAnswer.of(response, Ttl.require(ttl))));
        shared.put(key, response, ttl);
    }

    /** The second level's answer, kept here for the time it has left there. */
    private Optional<ChatResponse> fromShared(CacheKey key) {
        if (shared == SharedAnswers.NONE) {
            return Optional.empty();
        }
        Optional<SharedAnswers.Shared> found = shared.get(key);
        if (found.isEmpty() || found.get().remaining().isNegative() || found.get().remaining().isZero()) {
            sharedMisses.increment();
            return Optional.empty();
        }
        sharedHits.increment();
        ChatResponse response = found.get().response();
        cache.asMap().putIfAbsent(key, CompletableFuture.completedFuture(CachedAnswer.of(response, found.get().remaining())));
        return Optional.of(response);
    }

    @Override
    public Lookup getOrCompute(CacheKey key, Duration ttl, Supplier<ChatResponse> call) {
        Objects.requireNonNull(key, "key");
        Ttl.require(ttl);
        Objects.requireNonNull(call, "call");
        CompletableFuture<CachedAnswer> mine = new CompletableFuture<>();
        // Counts a hit when a future is there (stored or in flight), a miss when ours goes in.
        CompletableFuture<CachedAnswer> found = cache.get(key, (k, executor) -> mine);
        if (found != mine) {
            if (!found.isDone()) {
                coalesced.increment();
            }
            return new Lookup(await(found).response(), CacheStatus.HIT);
        }
        // Another replica may have paid for this answer: ask the shared level once, for everyone waiting here.
        Optional<SharedAnswers.Shared> fromShared = shared == SharedAnswers.NONE ? Optional.empty() : shared.get(key);
        if (fromShared.isPresent() && fromShared.get().remaining().isPositive()) {
            sharedHits.increment();
            mine.complete(CachedAnswer.of(fromShared.get().response(), fromShared.get().remaining()));
            return new Lookup(fromShared.get().response(), CacheStatus.HIT);
        }
        if (shared != SharedAnswers.NONE) {
            sharedMisses.increment();
        }
        ChatResponse response;
        try {
            response = Objects.requireNonNull(call.get(), "call returned no response");
        } catch (Throwable t) {
            // Caffeine removes a failed future, so the next caller retries.
            mine.completeExceptionally(new CallFailed(t));
            throw t;
        }
        mine.complete(CachedAnswer.of(response, ttl));
        shared.put(key, response, ttl);
        return new Lookup(response, CacheStatus.MISS);
    }

    @Override
    public void recordCoalesced() {
        statsCounter.recordHits(1);
        coalesced.increment();
    }

    @Override
    public void invalidateAll() {
        cache.synchronous().invalidateAll();
    }

    @Override
    public CacheStats stats() {
        var caffeine = statsCounter.snapshot();
        return new CacheStats(caffeine.hitCount(), caffeine.missCount(), caffeine.evictionCount(),
                cache.synchronous().estimatedSize(), weightBytes());
    }

    /** Runs pending maintenance now: drops expired answers and enforces the weight bound. */
    public void cleanUp() {
        cache.synchronous().cleanUp();
    }

    private long weightBytes() {
        return cache.synchronous().policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }

    private long maximumWeightBytes() {
        return cache.synchronous().policy().eviction().map(Policy.Eviction::getMaximum).orElse(0L);
    }

    /** The answer of a future from the cache; a failed call's own exception, unwrapped. */
    private static CachedAnswer await(CompletableFuture<CachedAnswer> future) {
        try {
            return future.join();
        } catch (CancellationException | CompletionException e) {
            // join() wraps the failure, and how deeply depends on the JDK (a CancellationException("join") since 19).
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CallFailed failed) {
                    throw CallFailed.rethrow(failed.getCause());
                }
            }
            throw e;
        }
    }

    private void bindMetrics(MeterRegistry registry, String name) {
        CaffeineCacheMetrics.monitor(registry, cache, name);
        Gauge.builder("cache.weight", this, CaffeineResponseCache::weightBytes)
                .tag("cache", name)
                .baseUnit("bytes")
                .description("Estimated memory held by the cached answers")
                .register(registry);
        Gauge.builder("cache.weight.max", this, CaffeineResponseCache::maximumWeightBytes)
                .tag("cache", name)
                .baseUnit("bytes")
                .description("The bound on the estimated memory of the cached answers")
                .register(registry);
        FunctionCounter.builder("cache.shared.gets", sharedHits, LongAdder::sum)
                .tag("cache", name).tag("result", "hit")
                .description("Answers found in the second level shared by the replicas after a miss here")
                .register(registry);
        FunctionCounter.builder("cache.shared.gets", sharedMisses, LongAdder::sum)
                .tag("cache", name).tag("result", "miss")
                .description("Misses here that the shared second level could not answer either")
                .register(registry);
        FunctionCounter.builder("cache.coalesced", coalesced, LongAdder::sum)
                .tag("cache", name)
                .description("Callers that waited for an identical call in flight instead of calling the expert")
                .register(registry);
    }

    @Override
    public String toString() {
        return "CaffeineResponseCache{maximumWeightBytes=" + maximumWeightBytes() + ", " + stats() + "}";
    }

    /**
     * Carries a call's failure to the callers waiting for it. A {@link CancellationException} because Caffeine
     * logs every other failure of an asynchronous entry as a warning with its stack trace, and an expert failing
     * is routine here: the resilience layer reports it.
     */
    private static final class CallFailed extends CancellationException {

        CallFailed(Throwable cause) {
            super("the coalesced call failed");
            initCause(cause);
        }

        static RuntimeException rethrow(Throwable cause) {
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new CompletionException(cause);
        }
    }

    /** Validating builder for {@link CaffeineResponseCache}. Not thread-safe. */
    public static final class Builder {
        private long maximumWeightBytes = DEFAULT_MAXIMUM_WEIGHT_BYTES;
        private Ticker ticker = Ticker.systemTicker();
        private MeterRegistry meterRegistry;
        private String name = DEFAULT_NAME;
        private SharedAnswers shared = SharedAnswers.NONE;

        private Builder() {
        }

        /**
         * A second level shared by every replica: read on a miss here (its answer is then kept here too), written with
         * every answer stored here. Default: none.
         */
        public Builder shared(SharedAnswers shared) {
            this.shared = Objects.requireNonNull(shared, "shared");
            return this;
        }

        /** Bound on the estimated bytes of all stored answers; default {@link CaffeineResponseCache#DEFAULT_MAXIMUM_WEIGHT_BYTES} (64 MiB). */
        public Builder maximumWeightBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maximumWeightBytes must be positive, but was " + bytes);
            }
            this.maximumWeightBytes = bytes;
            return this;
        }

        /** The time source for expiry; tests pass a fake one. Default: the system ticker. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Where to publish the cache's metrics; none by default. */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
            return this;
        }

        /** The {@code cache} tag of the metrics; default {@value CaffeineResponseCache#DEFAULT_NAME}. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, but was '" + name + "'");
            }
            this.name = name;
            return this;
        }

        public CaffeineResponseCache build() {
            return new CaffeineResponseCache(this);
        }
    }
}
