package dev.coe.router.apikey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;

import java.time.Duration;

/**
 * Request rates counted by this replica alone: one in-memory token bucket per key. Used without Redis, and by
 * {@link SharedRequestRates} whenever Redis does not answer in time. Thread-safe.
 */
final class LocalRequestRates implements RequestRates {

    private final TimeMeter clock;
    // A bucket left alone for a minute is full again, so forgetting it then changes nothing.
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(1)).build();

    LocalRequestRates() {
        this(TimeMeter.SYSTEM_NANOTIME);
    }

    /** @param clock the buckets' time, which tests move by hand */
    LocalRequestRates(TimeMeter clock) {
        this.clock = clock;
    }

    @Override
    public RequestAllowance take(ClientKey key) {
        Bucket bucket = buckets.get(RequestRates.bucketName(key), name -> Bucket.builder()
                .addLimit(RequestRates.bucket(key.requestsPerMinute()).getBandwidths()[0])
                .withCustomTimePrecision(clock).build());
        return RequestAllowance.of(bucket.tryConsumeAndReturnRemaining(1), key.requestsPerMinute());
    }
}
