package dev.coe.router.apikey;

import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;

/**
 * What a key's request-rate check found: whether this request is admitted, and the figures OpenAI's API sends in its
 * {@code x-ratelimit-*-requests} headers, so that clients written against OpenAI pace themselves here the same way.
 *
 * @param limit      the key's requests per minute
 * @param remaining  requests the key may send now, this one already counted
 * @param untilFull  until the allowance is whole again, if no more requests come ({@code x-ratelimit-reset-requests})
 * @param retryAfter for a refused request, until the next one would be admitted; zero when admitted
 */
record RequestAllowance(boolean admitted, long limit, long remaining, Duration untilFull, Duration retryAfter) {

    static RequestAllowance of(ConsumptionProbe probe, long limit) {
        return new RequestAllowance(probe.isConsumed(), limit, probe.getRemainingTokens(),
                Duration.ofNanos(probe.getNanosToWaitForReset()),
                probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }
}
