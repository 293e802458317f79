package dev.coe.router.apikey;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitHeadersTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0s",
            "1, 1ms",            // a part of a millisecond is rounded up, never shown as nothing left
            "1000000, 1ms",
            "17000000, 17ms",
            "999000000, 999ms",
            "1000000000, 1s",
            "8640000000, 8.64s",
            "30000000000, 30s",
            "60000000000, 1m0s",
            "90500000000, 1m30.5s",
            "3723000000000, 1h2m3s"})
    void should_write_durations_as_openai_does_when_given_nanoseconds(long nanos, String expected) {
        assertThat(RateLimitHeaders.duration(Duration.ofNanos(nanos))).isEqualTo(expected);
    }

    @Test
    void should_write_limit_remaining_and_reset_without_retry_after_when_admitted() {
        MockHttpServletResponse response = new MockHttpServletResponse();

        RateLimitHeaders.write(response, RateLimitHeaders.Limit.REQUESTS, new Allowance(true, 60, 59, Duration.ofSeconds(1), Duration.ZERO));

        assertThat(response.getHeader("x-ratelimit-limit-requests")).isEqualTo("60");
        assertThat(response.getHeader("x-ratelimit-remaining-requests")).isEqualTo("59");
        assertThat(response.getHeader("x-ratelimit-reset-requests")).isEqualTo("1s");
        assertThat(response.getHeader("Retry-After")).isNull();
    }

    @Test
    void should_name_the_token_headers_when_the_limit_is_on_tokens() {
        MockHttpServletResponse response = new MockHttpServletResponse();

        RateLimitHeaders.write(response, RateLimitHeaders.Limit.TOKENS, new Allowance(true, 40000, 39000, Duration.ofMillis(1500), Duration.ZERO));

        assertThat(response.getHeader("x-ratelimit-limit-tokens")).isEqualTo("40000");
        assertThat(response.getHeader("x-ratelimit-remaining-tokens")).isEqualTo("39000");
        assertThat(response.getHeader("x-ratelimit-reset-tokens")).isEqualTo("1.5s");
        assertThat(response.getHeader("x-ratelimit-limit-requests")).isNull();
    }

    @Test
    void should_add_retry_after_in_whole_seconds_rounded_up_when_refused() {
        MockHttpServletResponse response = new MockHttpServletResponse();

        RateLimitHeaders.write(response, RateLimitHeaders.Limit.REQUESTS, new Allowance(false, 2, 0, Duration.ofSeconds(60), Duration.ofMillis(29_001)));

        assertThat(response.getHeader("Retry-After")).isEqualTo("30");
        assertThat(response.getHeader("x-ratelimit-remaining-requests")).isEqualTo("0");
    }

    @Test
    void should_ask_for_at_least_a_second_when_the_wait_is_shorter() {
        MockHttpServletResponse response = new MockHttpServletResponse();

        RateLimitHeaders.write(response, RateLimitHeaders.Limit.REQUESTS, new Allowance(false, 6000, 0, Duration.ofMillis(10), Duration.ofMillis(10)));

        assertThat(response.getHeader("Retry-After")).isEqualTo("1");
    }
}
