package dev.coe.router.apikey;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

import java.time.Duration;

/**
 * Request rate limits of client keys. Each key with a {@code requestsPerMinute} limit has a token bucket that holds
 * that many requests and refills continuously (one request every {@code 60 s / limit}), as OpenAI describes its own
 * limits: a client that used its whole minute at once may send again a moment later, not only when a fixed minute ends,
 * and no client gets twice its limit across the edge of two minutes.
 */
interface RequestRates {

    /** Takes one request from the allowance of {@code key}, which must have a requests-per-minute limit. */
    RequestAllowance take(ClientKey key);

    /** The one bucket shape every store uses, so that a key's limit means the same with Redis and without. */
    static BucketConfiguration bucket(int requestsPerMinute) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder().capacity(requestsPerMinute).refillGreedy(requestsPerMinute, Duration.ofMinutes(1)).build())
                .build();
    }

    /** Names a key's bucket; the limit is part of it, so that a bucket is never read with another key's shape. */
    static String bucketName(ClientKey key) {
        return key.id() + "@" + key.requestsPerMinute();
    }
}
