package dev.coe.router.apikey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;

import java.time.Duration;

/**
 * Key rates counted by this replica alone: in-memory token buckets. Used without Redis, and by {@link SharedKeyRates}
 * whenever Redis does not answer in time. Thread-safe.
 */
final class LocalKeyRates implements KeyRates {

    private final TimeMeter clock;
    // A bucket left alone for an hour is full again, unless an answer cost more than an hour's tokens: forgetting it
    // then forgives the rest of that debt, an edge a replica counting alone may allow itself.
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1)).build();

    LocalKeyRates() {
        this(TimeMeter.SYSTEM_NANOTIME);
    }

    /** @param clock the buckets' time, which tests move by hand */
    LocalKeyRates(TimeMeter clock) {
        this.clock = clock;
    }

    @Override
    public Allowance takeRequest(ClientKey key) {
        return Allowance.of(bucket(KeyRates.requestsBucket(key), key.requestsPerMinute()).tryConsumeAndReturnRemaining(1),
                key.requestsPerMinute());
    }

    @Override
    public Allowance checkTokens(ClientKey key) {
        return Allowance.ofAvailable(bucket(KeyRates.tokensBucket(key), key.tokensPerMinute()).getAvailableTokens(),
                key.tokensPerMinute());
    }

    @Override
    public void chargeTokens(ClientKey key, long tokens) {
        bucket(KeyRates.tokensBucket(key), key.tokensPerMinute()).consumeIgnoringRateLimits(tokens);
    }

    private Bucket bucket(String name, long perMinute) {
        return buckets.get(name, n -> Bucket.builder().addLimit(KeyRates.perMinute(perMinute))
                .withCustomTimePrecision(clock).build());
    }
}
