package dev.coe.router.apikey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request rates counted by all replicas together: one bucket per key in Redis, changed by a compare-and-swap script
 * (Bucket4j), so that two replicas admit a key's limit in total, not twice it. A check waits at most {@code timeout}.
 * When Redis does not answer in time, this replica counts alone ({@link LocalRequestRates}) and asks Redis again only
 * after {@code retryAfterFailure}, so that an outage costs one request the timeout, not every request. So an outage of
 * Redis is no outage of the gateway: each replica then allows up to the limit by itself, as without Redis.
 * Thread-safe.
 */
final class SharedRequestRates implements RequestRates {

    private static final Logger log = LoggerFactory.getLogger(SharedRequestRates.class);

    private final AsyncProxyManager<String> store;
    private final Duration timeout;
    private final RequestRates alone;
    // One proxy per bucket, kept while in use: concurrent checks of one key through it are batched into one
    // compare-and-swap, where separate proxies would race each other's scripts and retry (p99 10 ms against 0.5 ms
    // for eight callers on one key; docs/benchmarks.md).
    private final Cache<String, AsyncBucketProxy> proxies = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(1)).build();
    private final CircuitBreaker redis;
    private final LongAdder sharedChecks = new LongAdder();
    private final LongAdder localChecks = new LongAdder();

    /**
     * @param store             the replicas' shared buckets
     * @param timeout           the longest a request waits for Redis
     * @param retryAfterFailure how long to count alone after Redis failed to answer, before asking it again
     * @param alone             what counts while Redis does not answer
     */
    SharedRequestRates(AsyncProxyManager<String> store, Duration timeout, Duration retryAfterFailure, RequestRates alone) {
        this.store = store;
        this.timeout = timeout;
        this.alone = alone;
        // Opens on one failure, lets one check through after the pause, and closes again on its success.
        this.redis = CircuitBreaker.of("client-key-rates", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).slidingWindowSize(1)
                .minimumNumberOfCalls(1).failureRateThreshold(100).permittedNumberOfCallsInHalfOpenState(1)
                .waitDurationInOpenState(retryAfterFailure).writableStackTraceEnabled(false).build());
        redis.getEventPublisher().onStateTransition(event -> {
            switch (event.getStateTransition().getToState()) {
                case OPEN -> log.warn("client keys: Redis did not answer a rate check within {}; this replica counts "
                        + "request rates alone, and asks Redis again in {}", timeout, retryAfterFailure);
                case CLOSED -> log.info("client keys: Redis answers again; request rates are counted across replicas");
                default -> {
                }
            }
        });
    }

    @Override
    public RequestAllowance take(ClientKey key) {
        if (!redis.tryAcquirePermission()) {
            return countAlone(key);
        }
        long started = System.nanoTime();
        try {
            AsyncBucketProxy bucket = proxies.get(RequestRates.bucketName(key), name -> store.builder()
                    .withOptimization(Optimizations.batching()).build(name, RequestRates.bucket(key.requestsPerMinute())));
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            redis.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            sharedChecks.increment();
            return RequestAllowance.of(probe, key.requestsPerMinute());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            redis.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
            return countAlone(key);
        } catch (Exception e) {
            // A timeout, a refused connection, a script error: none of them may fail the request.
            log.debug("client keys: rate check in Redis failed: {}", e.toString());
            redis.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
            return countAlone(key);
        }
    }

    private RequestAllowance countAlone(ClientKey key) {
        localChecks.increment();
        return alone.take(key);
    }

    /** Checks answered by Redis since start. */
    long sharedChecks() {
        return sharedChecks.sum();
    }

    /** Checks this replica answered alone because Redis did not. */
    long localChecks() {
        return localChecks.sum();
    }
}
