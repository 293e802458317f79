package dev.coe.router.apikey;

import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;

/**
 * What one of a key's rate checks found: whether the request is admitted, and the figures OpenAI's API sends in its
 * {@code x-ratelimit-*} headers, so that clients written against OpenAI pace themselves here the same way.
 *
 * @param limit      the key's requests or tokens per minute
 * @param remaining  requests or tokens the key may still use now (a request already counted); never below zero
 * @param untilFull  until the allowance is whole again, if the key sends nothing more ({@code x-ratelimit-reset-*})
 * @param retryAfter for a refused request, until the next one would be admitted; zero when admitted
 */
record Allowance(boolean admitted, long limit, long remaining, Duration untilFull, Duration retryAfter) {

    private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

    /** After taking one request from a bucket. */
    static Allowance of(ConsumptionProbe probe, long limit) {
        return new Allowance(probe.isConsumed(), limit, probe.getRemainingTokens(),
                Duration.ofNanos(probe.getNanosToWaitForReset()),
                probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /**
     * From what a bucket holds now, which may be below zero after an answer that cost more than was left: a request is
     * admitted while anything is left, as nobody knows beforehand what its answer will cost.
     */
    static Allowance ofAvailable(long available, long limit) {
        // The buckets refill evenly, limit per minute, so every wait is a share of a minute.
        Duration untilFull = Duration.ofNanos(wait(limit - available, limit));
        return available > 0
                ? new Allowance(true, limit, available, untilFull, Duration.ZERO)
                : new Allowance(false, limit, 0, untilFull, Duration.ofNanos(wait(1 - available, limit)));
    }

    private static long wait(long missing, long limit) {
        return missing <= 0 ? 0 : (long) Math.ceil((double) missing * MINUTE_NANOS / limit);
    }
}
