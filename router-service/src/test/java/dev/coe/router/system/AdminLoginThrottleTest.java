package dev.coe.router.system;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminLoginThrottleTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AdminLoginThrottle throttle = new AdminLoginThrottle(3, Duration.ofMinutes(1), nanos::get);

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void should_let_an_address_try_until_it_has_failed_the_maximum_number_of_times() {
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        assertThat(throttle.retryAfter("10.0.0.1")).isEmpty();

        throttle.failed("10.0.0.1");

        assertThat(throttle.retryAfter("10.0.0.1")).contains(Duration.ofMinutes(1));
        assertThat(throttle.retryAfter("10.0.0.2")).as("another address").isEmpty();
    }

    @Test
    void should_count_the_wait_from_the_latest_failure_when_an_address_keeps_failing() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("10.0.0.1");
        }
        advance(Duration.ofSeconds(40));
        assertThat(throttle.retryAfter("10.0.0.1")).contains(Duration.ofSeconds(20));

        throttle.failed("10.0.0.1");

        assertThat(throttle.retryAfter("10.0.0.1")).contains(Duration.ofMinutes(1));
    }

    @Test
    void should_let_an_address_in_again_when_a_window_passes_without_a_failure() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("10.0.0.1");
        }

        advance(Duration.ofSeconds(61));

        assertThat(throttle.retryAfter("10.0.0.1")).isEmpty();
        throttle.failed("10.0.0.1");
        assertThat(throttle.retryAfter("10.0.0.1")).as("the count started again").isEmpty();
    }

    @Test
    void should_never_refuse_when_the_limit_is_zero() {
        AdminLoginThrottle off = new AdminLoginThrottle(0, Duration.ofMinutes(1), nanos::get);
        for (int i = 0; i < 100; i++) {
            off.failed("10.0.0.1");
        }
        assertThat(off.retryAfter("10.0.0.1")).isEmpty();
    }

    @Test
    void should_refuse_a_negative_limit_or_an_empty_window() {
        assertThatThrownBy(() -> new AdminLoginThrottle(-1, Duration.ofMinutes(1), nanos::get))
                .hasMessageContaining("maxFailures");
        assertThatThrownBy(() -> new AdminLoginThrottle(3, Duration.ZERO, nanos::get)).hasMessageContaining("window");
    }
}
