package dev.coe.router.apikey;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * OpenAI's rate headers, on every answer to a key with a per-minute limit: {@code x-ratelimit-limit-requests},
 * {@code x-ratelimit-remaining-requests} and {@code x-ratelimit-reset-requests} (until the allowance is whole again, in
 * OpenAI's notation: {@code 120ms}, {@code 8.64s}, {@code 1m0s}), and the same three for {@code tokens}. Clients written
 * against OpenAI read them to slow down before they are refused. A refused request also gets {@code Retry-After} in
 * whole seconds, which the SDKs obey. The remaining tokens are those left before the request: what its answer will
 * cost is known only once it is written.
 */
final class RateLimitHeaders {

    /** Which per-minute limit, as the headers name it. */
    enum Limit {
        REQUESTS("requests"), TOKENS("tokens");

        private final String unit;

        Limit(String unit) {
            this.unit = unit;
        }

        String unit() {
            return unit;
        }
    }

    private RateLimitHeaders() {
    }

    static void write(HttpServletResponse response, Limit limit, Allowance allowance) {
        response.setHeader("x-ratelimit-limit-" + limit.unit, Long.toString(allowance.limit()));
        response.setHeader("x-ratelimit-remaining-" + limit.unit, Long.toString(allowance.remaining()));
        response.setHeader("x-ratelimit-reset-" + limit.unit, duration(allowance.untilFull()));
        if (!allowance.admitted()) {
            // Rounded up: a client that waits the whole seconds is admitted, never refused again for a fraction.
            long seconds = (allowance.retryAfter().toMillis() + 999) / 1000;
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, seconds)));
        }
    }

    /** A duration as OpenAI writes it (Go's notation), to the millisecond: {@code 0s}, {@code 17ms}, {@code 2.5s}, {@code 1m30s}. */
    static String duration(Duration d) {
        long millis = d.toNanos() <= 0 ? 0 : Math.max(1, (d.toNanos() + 999_999) / 1_000_000);
        if (millis == 0) {
            return "0s";
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        long minutes = millis / 60_000;
        String seconds = BigDecimal.valueOf(millis % 60_000, 3).stripTrailingZeros()
                .toPlainString() + "s";
        if (minutes == 0) {
            return seconds;
        }
        return minutes >= 60 ? minutes / 60 + "h" + minutes % 60 + "m" + seconds : minutes + "m" + seconds;
    }
}
