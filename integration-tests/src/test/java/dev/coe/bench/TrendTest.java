package dev.coe.bench;

import dev.coe.bench.Trend.Tolerance;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The soak report's verdict arithmetic: thirds, medians, slope, and the tolerances that call a resource flat. */
class TrendTest {

    private static final double[] MINUTES = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    private static final Tolerance.Memory HEAP = new Tolerance.Memory(1, 0.10, 8);

    @Test
    void should_take_medians_and_maxima_of_the_first_and_last_third_and_the_slope_per_minute() {
        // given
        double[] values = {10, 14, 12, 20, 21, 22, 30, 36, 33};

        // when
        Trend trend = Trend.of(MINUTES, values);

        // then
        assertThat(trend.samples()).isEqualTo(9);
        assertThat(trend.firstMedian()).isEqualTo(12);
        assertThat(trend.firstMax()).isEqualTo(14);
        assertThat(trend.lastMedian()).isEqualTo(33);
        assertThat(trend.lastMax()).isEqualTo(36);
        assertThat(trend.slopePerMinute()).isCloseTo(196.0 / 60, within(1e-9));
    }

    @Test
    void should_call_the_heap_flat_when_it_wanders_without_a_trend() {
        // given
        double[] heapMiB = {40, 43, 39, 41, 44, 40, 42, 39, 41};

        // when
        Trend trend = Trend.of(MINUTES, heapMiB);

        // then
        assertThat(HEAP.flat(trend)).isTrue();
    }

    @Test
    void should_call_the_heap_growing_when_it_climbs_two_mib_a_minute() {
        // given
        double[] heapMiB = {40, 42, 44, 46, 48, 50, 52, 54, 56};

        // when
        Trend trend = Trend.of(MINUTES, heapMiB);

        // then
        assertThat(trend.slopePerMinute()).isCloseTo(2.0, within(1e-9));
        assertThat(HEAP.flat(trend)).isFalse();
    }

    @Test
    void should_call_the_heap_growing_when_the_last_third_sits_well_above_the_first_even_with_a_small_slope() {
        // given: a slope within bounds, but the last third's median 20 MiB above the first third's
        Trend trend = new Trend(9, 40, 41, 60, 61, 0.5);

        // when
        boolean flat = HEAP.flat(trend);

        // then
        assertThat(flat).isFalse();
    }

    @Test
    void should_allow_counts_a_small_constant_above_the_first_third_maximum() {
        // given
        Tolerance.Count threads = new Tolerance.Count(8);

        // when
        Trend steady = Trend.of(MINUTES, new double[] {70, 74, 72, 73, 75, 71, 78, 76, 80});
        Trend leaking = Trend.of(MINUTES, new double[] {70, 74, 72, 80, 90, 100, 110, 120, 130});

        // then
        assertThat(threads.flat(steady)).isTrue();
        assertThat(threads.flat(leaking)).isFalse();
    }

    @Test
    void should_refuse_a_trend_of_fewer_than_three_samples() {
        assertThatThrownBy(() -> Trend.of(new double[] {1, 2}, new double[] {5, 6}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a trend needs at least 3 samples, but had 2");
    }
}
