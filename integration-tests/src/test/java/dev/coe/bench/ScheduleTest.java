package dev.coe.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The load generator's schedules: how many requests they hand out, when each is due, and where its latency starts. */
class ScheduleTest {

    @Test
    void should_hand_out_requests_due_at_i_over_rate_when_paced() {
        // given
        Schedule schedule = Schedule.paced(1_000, 250, 3);

        // when / then: 250 req/s is one every 4 ms
        assertThat(schedule.next()).isEqualTo(1_000);
        assertThat(schedule.next()).isEqualTo(1_000 + 4_000_000);
        assertThat(schedule.next()).isEqualTo(1_000 + 8_000_000);
        assertThat(schedule.next()).isEqualTo(Schedule.DONE);
        assertThat(schedule.next()).isEqualTo(Schedule.DONE);
    }

    @Test
    void should_count_a_late_request_from_its_slot_when_the_workers_fell_behind() throws InterruptedException {
        // given: a slot one second in the past
        long due = System.nanoTime() - 1_000_000_000L;

        // when
        long start = Schedule.awaitDue(due);

        // then: the second it waited for a free worker is part of its latency
        assertThat(start).isEqualTo(due);
    }

    @Test
    void should_wait_for_a_slot_in_the_future_and_count_from_the_wake_up_when_taken_in_time() throws InterruptedException {
        // given
        long due = System.nanoTime() + 20_000_000L;

        // when
        long start = Schedule.awaitDue(due);

        // then: sent no earlier than its slot; how late the parked thread woke is not charged to the server
        assertThat(start).isGreaterThanOrEqualTo(due);
        assertThat(start).isLessThanOrEqualTo(System.nanoTime());
    }

    @Test
    void should_start_each_request_when_a_worker_is_free_when_closed() throws InterruptedException {
        // given
        Schedule schedule = Schedule.closed(2);

        // when
        long before = System.nanoTime();
        long start = Schedule.awaitDue(schedule.next());
        schedule.next();

        // then
        assertThat(start).isGreaterThanOrEqualTo(before);
        assertThat(schedule.next()).isEqualTo(Schedule.DONE);
    }

    @Test
    void should_refuse_a_rate_that_is_not_positive_and_finite() {
        assertThatThrownBy(() -> Schedule.paced(0, 0, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> Schedule.paced(0, Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
