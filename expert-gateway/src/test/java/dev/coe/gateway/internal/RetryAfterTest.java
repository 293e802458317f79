package dev.coe.gateway.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2025-10-21T07:28:00Z");

    @Test
    void should_read_delta_seconds_when_the_value_is_a_number() {
        assertThat(RetryAfter.parse("7", null, NOW)).hasValue(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse(" 0 ", null, NOW)).hasValue(Duration.ZERO);
        assertThat(RetryAfter.parse("1.5", null, NOW)).hasValue(Duration.ofMillis(1500));
    }

    @Test
    void should_prefer_retry_after_ms_when_both_are_sent() {
        assertThat(RetryAfter.parse("2", "1234", NOW)).hasValue(Duration.ofMillis(1234));
        assertThat(RetryAfter.parse(null, "20.5", NOW)).hasValue(Duration.ofNanos(20_500_000));
        assertThat(RetryAfter.parse("2", "soon", NOW)).hasValue(Duration.ofSeconds(2));
    }

    @Test
    void should_measure_an_http_date_from_now_when_the_value_is_a_date() {
        assertThat(RetryAfter.parse("Tue, 21 Oct 2025 07:28:30 GMT", null, NOW)).hasValue(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Tue, 21 Oct 2025 07:27:00 GMT", null, NOW)).hasValue(Duration.ZERO);
    }

    @Test
    void should_cut_a_wait_to_one_hour_when_the_upstream_asks_for_more() {
        assertThat(RetryAfter.parse("86400", null, NOW)).hasValue(RetryAfter.MAX_RETRY_AFTER);
        assertThat(RetryAfter.parse(null, "999999999999", NOW)).hasValue(RetryAfter.MAX_RETRY_AFTER);
        assertThat(RetryAfter.parse("Wed, 22 Oct 2025 07:28:00 GMT", null, NOW)).hasValue(RetryAfter.MAX_RETRY_AFTER);
        assertThat(RetryAfter.parse("3600", null, NOW)).hasValue(Duration.ofHours(1));
    }

    @Test
    void should_be_empty_when_the_value_is_absent_or_unreadable() {
        assertThat(RetryAfter.parse(null, null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("", null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("soon", null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("1e3", null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("Tuesday, 21-Oct-25 07:28:30 GMT", null, NOW)).isEmpty(); // obsolete RFC 850 form
        assertThat(RetryAfter.parse("99999999999999999999", null, NOW)).isEmpty();
    }

    @Test
    void should_apply_to_429_and_503_only() {
        assertThat(RetryAfter.applies(429)).isTrue();
        assertThat(RetryAfter.applies(503)).isTrue();
        assertThat(RetryAfter.applies(500)).isFalse();
        assertThat(RetryAfter.applies(200)).isFalse();
    }
}
