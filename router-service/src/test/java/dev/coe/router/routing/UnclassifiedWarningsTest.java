package dev.coe.router.routing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class UnclassifiedWarningsTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final UnclassifiedWarnings warnings = new UnclassifiedWarnings(Duration.ofMinutes(1), now::get);

    @Test
    void should_warn_at_once_for_the_first_and_then_once_a_minute_with_the_count_since() {
        assertThat(warnings.record()).isEqualTo(1);
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(warnings.record()).isZero();
        assertThat(warnings.record()).isZero();

        now.addAndGet(Duration.ofSeconds(30).toNanos());

        assertThat(warnings.record()).isEqualTo(3);
        assertThat(warnings.record()).isZero();
    }

    @Test
    void should_warn_at_once_again_when_the_last_warning_is_older_than_the_interval() {
        assertThat(warnings.record()).isEqualTo(1);

        now.addAndGet(Duration.ofMinutes(10).toNanos());

        assertThat(warnings.record()).isEqualTo(1);
    }
}
