package dev.coe.gateway.internal;

import java.math.BigDecimal;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the wait an upstream asks for from the headers of a 429 or 503 answer. Stateless and thread-safe.
 * <ul>
 *   <li>{@code retry-after-ms} (milliseconds, sent by OpenAI and Azure OpenAI next to {@code retry-after}) wins
 *       when it is a valid number, being the more precise;</li>
 *   <li>{@code Retry-After} as delta-seconds ({@code 7}; a decimal like {@code 1.5}, which some servers send, is
 *       accepted too) or as an HTTP-date ({@code Wed, 21 Oct 2015 07:28:00 GMT}, the IMF-fixdate form of RFC 9110;
 *       the obsolete RFC 850 and asctime forms are not read);</li>
 *   <li>a date in the past is a wait of zero; a wait beyond {@link #MAX_RETRY_AFTER} is cut to it, so that a
 *       broken or hostile upstream cannot park a caller for days; anything unreadable counts as absent.</li>
 * </ul>
 */
public final class RetryAfter {

    /** The longest wait taken from an upstream; longer ones are cut to this. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private static final Pattern NUMBER = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");

    private RetryAfter() {
    }

    /** True for the statuses whose {@code Retry-After} is read: 429 (RFC 6585) and 503 (RFC 9110). */
    public static boolean applies(int status) {
        return status == 429 || status == 503;
    }

    /** The wait named by these response headers, measured from {@code now} for an HTTP-date. */
    public static Optional<Duration> from(HttpHeaders headers, Instant now) {
        return parse(headers.firstValue("retry-after").orElse(null),
                headers.firstValue("retry-after-ms").orElse(null), now);
    }

    /**
     * The wait named by the header values (each nullable).
     *
     * @param retryAfter   the value of {@code Retry-After}
     * @param retryAfterMs the value of {@code retry-after-ms}
     * @param now          the time an HTTP-date is measured from
     */
    public static Optional<Duration> parse(String retryAfter, String retryAfterMs, Instant now) {
        Optional<Duration> millis = number(retryAfterMs).map(ms -> cap(ms.movePointRight(6)));
        if (millis.isPresent()) {
            return millis;
        }
        if (retryAfter == null) {
            return Optional.empty();
        }
        Optional<Duration> seconds = number(retryAfter).map(s -> cap(s.movePointRight(9)));
        return seconds.isPresent() ? seconds : date(retryAfter.strip(), now);
    }

    private static Optional<BigDecimal> number(String value) {
        if (value == null || !NUMBER.matcher(value.strip()).matches()) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(value.strip()));
    }

    private static Duration cap(BigDecimal nanos) {
        BigDecimal max = BigDecimal.valueOf(MAX_RETRY_AFTER.toNanos());
        return Duration.ofNanos(nanos.min(max).longValue());
    }

    private static Optional<Duration> date(String value, Instant now) {
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            if (wait.isNegative()) {
                return Optional.of(Duration.ZERO);
            }
            return Optional.of(wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }
}
