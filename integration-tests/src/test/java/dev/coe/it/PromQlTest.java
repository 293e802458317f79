package dev.coe.it;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The loose PromQL reading that checks dashboards: what counts as a metric name and as an exact matcher. */
class PromQlTest {

    @Test
    void should_find_metric_names_only_when_functions_groupings_ranges_and_variables_surround_them() {
        // given
        String expr = "histogram_quantile(0.95, sum by (le, expert) (rate(coe_expert_latency_seconds_bucket{outcome=\"success\"}[$__rate_interval])))"
                + " / on(instance) group_left sum without (mode) (up{job=\"coe-router\"} offset 5m) * 1e3 and vllm:num_requests_waiting";

        // when / then
        assertThat(PromQl.metricNames(expr)).containsExactlyInAnyOrder("coe_expert_latency_seconds_bucket", "up", "vllm:num_requests_waiting");
    }

    @Test
    void should_keep_only_equality_matchers_when_a_selector_mixes_operators() {
        // given
        String expr = "sum(rate(cache_gets_total{cache=\"coe.responses\", result!=\"miss\", name=~\"a|b\"}[1m]))";

        // when / then
        assertThat(PromQl.exactMatchers(expr)).containsExactly(new PromQl.ExactMatcher("cache_gets_total", "cache", "coe.responses"));
    }
}
