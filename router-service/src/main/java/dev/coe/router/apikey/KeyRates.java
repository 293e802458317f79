package dev.coe.router.apikey;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

import java.time.Duration;

/**
 * The per-minute limits of client keys, requests and tokens. Each limit is a token bucket that holds a minute's
 * allowance and refills continuously (a key of 60 requests a minute gets one back every second), as OpenAI describes
 * its own limits: a client that used its whole minute at once may go on a moment later, not only when a fixed minute
 * ends, and no client gets twice its limit across the edge of two minutes.
 *
 * <p>A request takes one request from its bucket before it is served. Tokens cannot be taken before: nobody knows
 * what an answer will cost until it is written. So a request is admitted while the key has any tokens left, and the
 * answer's tokens are charged afterwards, below zero if need be; the key's next requests then wait until the bucket
 * has refilled above zero.
 */
interface KeyRates {

    /** Takes one request from the requests-per-minute bucket of {@code key}, which must have that limit. */
    Allowance takeRequest(ClientKey key);

    /** Whether the tokens-per-minute bucket of {@code key}, which must have that limit, has any left; takes nothing. */
    Allowance checkTokens(ClientKey key);

    /** Takes what an answer cost from the tokens-per-minute bucket of {@code key}, which must have that limit. */
    void chargeTokens(ClientKey key, long tokens);

    /** The one limit every store uses, so that a key's limit means the same with Redis and without. */
    static Bandwidth perMinute(long limit) {
        return Bandwidth.builder().capacity(limit).refillGreedy(limit, Duration.ofMinutes(1)).build();
    }

    /** {@link #perMinute} as a distributed bucket's configuration. */
    static BucketConfiguration bucket(long limit) {
        return BucketConfiguration.builder().addLimit(perMinute(limit)).build();
    }

    /** Names a key's requests bucket; the limit is part of it, so that a bucket is never read with another shape. */
    static String requestsBucket(ClientKey key) {
        return key.id() + ":requests@" + key.requestsPerMinute();
    }

    static String tokensBucket(ClientKey key) {
        return key.id() + ":tokens@" + key.tokensPerMinute();
    }
}
