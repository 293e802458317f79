package dev.coe.gateway.simulated;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LatencySpreadTest {

    @Test
    void should_keep_every_call_at_the_configured_pace_when_the_spread_is_zero() {
        LatencySpread none = new LatencySpread(0);

        assertThat(LongStream.range(0, 100).mapToDouble(i -> none.next())).containsOnly(1.0);
    }

    @Test
    void should_keep_every_factor_within_the_spread() {
        LatencySpread spread = new LatencySpread(0.25);

        assertThat(LongStream.range(0, 10_000).mapToDouble(spread::factor)).allSatisfy(f -> assertThat(f).isBetween(0.75, 1.25));
    }

    @Test
    void should_give_any_block_of_consecutive_calls_the_same_median_when_the_spread_is_wide() {
        // given: blocks of 2,000 calls at different offsets, as a benchmark's runs see them
        LatencySpread spread = new LatencySpread(0.5);

        // when / then: each block's median factor is 1 to within a few thousandths (random draws: about ±0.01)
        for (long start : new long[]{0, 1, 2_000, 12_345, 1_000_000}) {
            double[] block = LongStream.range(start, start + 2_000).mapToDouble(spread::factor).sorted().toArray();
            assertThat((block[999] + block[1000]) / 2).as("median from call %d", start).isCloseTo(1.0, within(0.002));
            assertThat(block[0]).isCloseTo(0.5, within(0.002));
            assertThat(block[block.length - 1]).isCloseTo(1.5, within(0.002));
        }
    }

    @Test
    void should_make_neighbouring_calls_differ_so_that_clients_fall_out_of_step() {
        LatencySpread spread = new LatencySpread(0.5);

        double[] gaps = LongStream.range(0, 1_000).mapToDouble(i -> Math.abs(spread.factor(i + 1) - spread.factor(i))).toArray();

        assertThat(Arrays.stream(gaps).min().orElseThrow()).as("smallest step between neighbours").isGreaterThan(0.2);
    }

    @Test
    void should_count_calls_from_the_first() {
        LatencySpread spread = new LatencySpread(0.3);

        assertThat(spread.next()).isEqualTo(spread.factor(0));
        assertThat(spread.next()).isEqualTo(spread.factor(1));
    }

    @Test
    void should_refuse_a_spread_outside_zero_to_one() {
        assertThatThrownBy(() -> new LatencySpread(1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below 1");
        assertThatThrownBy(() -> new LatencySpread(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LatencySpread(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
