package dev.coe.router.apikey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Key rates counted by all replicas together: one bucket per key and limit in Redis, changed by a compare-and-swap
 * script (Bucket4j), so that two replicas admit a key's limit in total, not twice it. A check or charge waits at most
 * {@code timeout}. When Redis does not answer in time, this replica counts alone ({@link LocalKeyRates}) and asks Redis
 * again only after {@code retryAfterFailure}, so that an outage costs one request the timeout, not every request. So
 * an outage of Redis is no outage of the gateway: each replica then allows up to the limit by itself, as without
 * Redis. Thread-safe.
 */
final class SharedKeyRates implements KeyRates {

    private static final Logger log = LoggerFactory.getLogger(SharedKeyRates.class);

    private final AsyncProxyManager<String> store;
    private final Duration timeout;
    private final KeyRates alone;
    // One proxy per bucket, kept while in use: concurrent checks of one key through it are batched into one
    // compare-and-swap, where separate proxies would race each other's scripts and retry (p99 10 ms against 0.5 ms
    // for eight callers on one key; docs/benchmarks.md).
    private final Cache<String, AsyncBucketProxy> proxies = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).build();
    private final CircuitBreaker redis;
    private final LongAdder sharedChecks = new LongAdder();
    private final LongAdder localChecks = new LongAdder();

    /**
     * @param store             the replicas' shared buckets
     * @param timeout           the longest a request waits for Redis
     * @param retryAfterFailure how long to count alone after Redis failed to answer, before asking it again
     * @param alone             what counts while Redis does not answer
     */
    SharedKeyRates(AsyncProxyManager<String> store, Duration timeout, Duration retryAfterFailure, KeyRates alone) {
        this.store = store;
        this.timeout = timeout;
        this.alone = alone;
        // Opens on one failure, lets one call through after the pause, and closes again on its success.
        this.redis = CircuitBreaker.of("client-key-rates", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).slidingWindowSize(1)
                .minimumNumberOfCalls(1).failureRateThreshold(100).permittedNumberOfCallsInHalfOpenState(1)
                .waitDurationInOpenState(retryAfterFailure).writableStackTraceEnabled(false).build());
        redis.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition().getToState()) {
                case OPEN -> log.warn("client keys: Redis did not answer a rate check within {}; this replica counts "
                        + "rates alone, and asks Redis again in {}", timeout, retryAfterFailure);
                case CLOSED -> log.info("client keys: Redis answers again; rates are counted across replicas");
                default -> {
                }
            }
        });
    }

    @Override
    public Allowance takeRequest(ClientKey key) {
        return inRedis(bucket(KeyRates.requestsBucket(key), key.requestsPerMinute()),
                b -> b.tryConsumeAndReturnRemaining(1).thenApply(probe -> Allowance.of(probe, key.requestsPerMinute())),
                () -> alone.takeRequest(key));
    }

    @Override
    public Allowance checkTokens(ClientKey key) {
        return inRedis(bucket(KeyRates.tokensBucket(key), key.tokensPerMinute()),
                b -> b.getAvailableTokens().thenApply(available -> Allowance.ofAvailable(available, key.tokensPerMinute())),
                () -> alone.checkTokens(key));
    }

    @Override
    public void chargeTokens(ClientKey key, long tokens) {
        // Waited for like a check: the client's next request must already see what this answer cost.
        inRedis(bucket(KeyRates.tokensBucket(key), key.tokensPerMinute()), b -> b.consumeIgnoringRateLimits(tokens),
                () -> {
                    alone.chargeTokens(key, tokens);
                    return null;
                });
    }

    private AsyncBucketProxy bucket(String name, long perMinute) {
        return proxies.get(name, n -> store.builder().withOptimization(Optimizations.batching()).build(n, KeyRates.bucket(perMinute)));
    }

    private <T> T inRedis(AsyncBucketProxy bucket, Function<AsyncBucketProxy, CompletableFuture<T>> call, Supplier<T> orAlone) {
        if (!redis.tryAcquirePermission()) {
            localChecks.increment();
            return orAlone.get();
        }
        long started = System.nanoTime();
        try {
            T result = call.apply(bucket).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            redis.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            sharedChecks.increment();
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            redis.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
        } catch (Exception e) {
            // A timeout, a refused connection, a script error: none of them may fail the request.
            log.debug("client keys: rate check in Redis failed: {}", e.toString());
            redis.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
        }
        localChecks.increment();
        return orAlone.get();
    }

    /** Checks and charges answered by Redis since start. */
    long sharedChecks() {
        return sharedChecks.sum();
    }

    /** Checks and charges this replica answered alone because Redis did not. */
    long localChecks() {
        return localChecks.sum();
    }
}
