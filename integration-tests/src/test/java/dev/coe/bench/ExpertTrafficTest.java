package dev.coe.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulated expert's own count of its calls, and of the pauses that reveal its breaker's open periods. */
class ExpertTrafficTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ExpertTraffic traffic = new ExpertTraffic(Duration.ofSeconds(4), now::get);

    @Test
    void should_count_a_pause_when_no_call_arrives_for_the_threshold_or_longer() {
        // given
        traffic.arrived();
        advance(Duration.ofMillis(100));
        traffic.arrived();

        // when
        advance(Duration.ofSeconds(5));
        traffic.arrived();
        advance(Duration.ofMillis(3_999));
        traffic.arrived();

        // then
        assertThat(traffic.pauses()).isEqualTo(1);
        assertThat(traffic.pausedTime()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void should_not_count_the_time_before_the_first_call_as_a_pause() {
        // given: the server started long before the router sent anything
        advance(Duration.ofMinutes(1));

        // when
        traffic.arrived();

        // then
        assertThat(traffic.pauses()).isZero();
    }

    @Test
    void should_count_calls_as_they_arrive_and_by_how_they_ended() {
        // when
        for (int i = 0; i < 4; i++) {
            traffic.arrived();
        }
        traffic.ended(ExpertTraffic.Outcome.ANSWERED);
        traffic.ended(ExpertTraffic.Outcome.ANSWERED);
        traffic.ended(ExpertTraffic.Outcome.ERROR_503);

        // then: the fourth call's client went away before it ended
        assertThat(traffic.count(ExpertTraffic.Outcome.ANSWERED)).isEqualTo(2);
        assertThat(traffic.count(ExpertTraffic.Outcome.ERROR_503)).isEqualTo(1);
        assertThat(traffic.calls()).isEqualTo(4);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
