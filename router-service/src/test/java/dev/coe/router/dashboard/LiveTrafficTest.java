package dev.coe.router.dashboard;

import dev.coe.gateway.ExpertId;
import dev.coe.gateway.cache.CacheStatus;
import dev.coe.gateway.resilience.ManualClock;
import dev.coe.router.routing.RoutingDecision;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveTrafficTest {

    private static final ExpertId CODER = ExpertId.of("coder");
    private static final ExpertId WRITER = ExpertId.of("writer");

    private final ManualClock clock = new ManualClock();
    private final LiveTraffic traffic = LiveTraffic.of(clock.wallClock(), Duration.ofMinutes(1), Duration.ofSeconds(10), 3);

    @Test
    void should_count_calls_errors_refusals_and_cache_hits_per_expert_when_requests_finish() {
        // given: an answer after a failure, a cache hit, and a refusal by the breaker before an answer
        traffic.record(outcome("coding", CODER, CacheStatus.MISS, call(WRITER, "timeout", 900), call(CODER, "ok", 100)));
        traffic.record(outcome("coding", CODER, CacheStatus.HIT, call(CODER, "ok", 1)));
        traffic.record(outcome("writing", WRITER, CacheStatus.BYPASS, call(CODER, "circuit_open", 0), call(WRITER, "ok", 300)));
        // when
        LiveTraffic.Snapshot s = traffic.snapshot();
        // then
        LiveTraffic.ExpertWindow coder = s.experts().get("coder");
        assertThat(coder.calls()).isEqualTo(2);
        assertThat(coder.errors()).isZero();
        assertThat(coder.refused()).isEqualTo(1);
        assertThat(coder.errorRate()).isEqualTo(0.0);
        assertThat(coder.cacheHits()).isEqualTo(1);
        assertThat(coder.cacheMisses()).isEqualTo(1);
        assertThat(coder.cacheHitRate()).isEqualTo(0.5);
        // The cache hit's 1 ms is not the expert's latency: only the 100 ms call counts.
        assertThat(coder.p50Millis()).isCloseTo(100.0, org.assertj.core.data.Percentage.withPercentage(5));
        LiveTraffic.ExpertWindow writer = s.experts().get("writer");
        assertThat(writer.calls()).isEqualTo(2);
        assertThat(writer.errors()).isEqualTo(1);
        assertThat(writer.errorRate()).isEqualTo(0.5);
        assertThat(writer.cacheHitRate()).isNull();
        assertThat(writer.p99Millis()).isCloseTo(900.0, org.assertj.core.data.Percentage.withPercentage(5));
    }

    @Test
    void should_count_requests_and_answering_experts_per_category_when_requests_finish() {
        // given
        traffic.record(outcome("coding", CODER, CacheStatus.MISS, call(CODER, "ok", 10)));
        traffic.record(outcome("coding", null, null, call(CODER, "server_error", 10)));
        traffic.record(outcome("writing", WRITER, CacheStatus.MISS, call(WRITER, "ok", 10)));
        // when
        LiveTraffic.Snapshot s = traffic.snapshot();
        // then
        assertThat(s.categories().get("coding")).isEqualTo(new LiveTraffic.CategoryWindow(2, Map.of("coder", 1L, "none", 1L)));
        assertThat(s.categories().get("writing")).isEqualTo(new LiveTraffic.CategoryWindow(1, Map.of("writer", 1L)));
        LiveTraffic.TimeBucket last = s.timeline().getLast();
        assertThat(last.categories()).isEqualTo(Map.of("coding", 2L, "writing", 1L));
        assertThat(last.experts()).isEqualTo(Map.of("coder", 1L, "none", 1L, "writer", 1L));
    }

    @Test
    void should_spread_requests_over_time_buckets_and_forget_them_when_they_leave_the_window() {
        // given: one request now, one 30 s later
        traffic.record(outcome("coding", CODER, CacheStatus.MISS, call(CODER, "ok", 10)));
        clock.advance(Duration.ofSeconds(30));
        traffic.record(outcome("math", CODER, CacheStatus.MISS, call(CODER, "ok", 10)));
        // when
        LiveTraffic.Snapshot s = traffic.snapshot();
        // then: six 10-second buckets, oldest first, the two requests three buckets apart
        assertThat(s.timeline()).hasSize(6);
        assertThat(s.timeline().get(2).categories()).isEqualTo(Map.of("coding", 1L));
        assertThat(s.timeline().get(5).categories()).isEqualTo(Map.of("math", 1L));
        assertThat(s.timeline().get(5).start()).isEqualTo(s.timeline().get(2).start().plusSeconds(30));
        assertThat(s.experts().get("coder").calls()).isEqualTo(2);
        // when: the first request is more than a minute old
        clock.advance(Duration.ofSeconds(40));
        s = traffic.snapshot();
        // then
        assertThat(s.categories()).containsOnlyKeys("math");
        assertThat(s.experts().get("coder").calls()).isEqualTo(1);
        // when: both are
        clock.advance(Duration.ofMinutes(5));
        s = traffic.snapshot();
        // then: the figures are empty, the recent decisions are still there
        assertThat(s.categories()).isEmpty();
        assertThat(s.experts()).isEmpty();
        assertThat(s.timeline()).hasSize(6).allSatisfy(b -> assertThat(b.categories()).isEmpty());
        assertThat(s.recent()).hasSize(2);
    }

    @Test
    void should_keep_only_the_last_decisions_newest_first_when_more_arrive() {
        // given
        for (int i = 1; i <= 5; i++) {
            traffic.record(new RequestOutcome(clock.wallClock().instant(), "req-" + i, decision("coding"),
                    List.of(call(CODER, "ok", 1)), CODER, 200, 1_000_000, CacheStatus.MISS, PromptRecord.of("p" + i, false)));
        }
        // when
        List<RequestOutcome> recent = traffic.snapshot().recent();
        // then
        assertThat(recent).extracting(RequestOutcome::requestId).containsExactly("req-5", "req-4", "req-3");
    }

    @Test
    void should_ignore_experts_passed_over_when_counting_calls() {
        // given
        traffic.record(outcome("coding", WRITER, CacheStatus.MISS, call(CODER, "skipped", 0), call(WRITER, "ok", 10)));
        // when
        LiveTraffic.Snapshot s = traffic.snapshot();
        // then
        assertThat(s.experts()).containsOnlyKeys("writer");
    }

    @Test
    void should_refuse_a_window_of_too_many_buckets() {
        assertThatThrownBy(() -> LiveTraffic.of(clock.wallClock(), Duration.ofDays(1), Duration.ofMillis(1), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 10000 buckets");
        assertThatThrownBy(() -> LiveTraffic.of(clock.wallClock(), Duration.ofMinutes(1), Duration.ofSeconds(10), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("recentDecisions must be at least 0, but was -1");
    }

    @Test
    void should_keep_a_hash_and_the_length_but_not_the_text_when_prompts_are_not_logged() {
        // when
        PromptRecord hidden = PromptRecord.of("my secret prompt", false);
        PromptRecord shown = PromptRecord.of("my secret prompt", true);
        // then
        assertThat(hidden.text()).isNull();
        assertThat(hidden.length()).isEqualTo(16);
        // sha256("my secret prompt"), first 12 hex digits
        assertThat(hidden.sha256()).hasSize(12).isEqualTo(shown.sha256()).isNotEqualTo(PromptRecord.of("other", false).sha256());
        assertThat(shown.text()).isEqualTo("my secret prompt");
        assertThat(PromptRecord.of("x".repeat(5000), true).text()).hasSize(PromptRecord.MAX_STORED_CHARS + 1);
    }

    @Test
    void should_report_latency_percentiles_within_five_percent() {
        // given: 1..1000 ms
        long[] merged = new long[LatencyHistogram.SIZE];
        LatencyHistogram h = new LatencyHistogram();
        for (int ms = 1; ms <= 1000; ms++) {
            h.record(ms * 1_000_000L);
        }
        h.addTo(merged);
        // then
        assertThat(LatencyHistogram.quantile(merged, 0.5) / 1e6).isCloseTo(500.0, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(LatencyHistogram.quantile(merged, 0.99) / 1e6).isCloseTo(990.0, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(LatencyHistogram.quantile(new long[LatencyHistogram.SIZE], 0.5)).isNull();
    }

    private RequestOutcome outcome(String category, ExpertId answeredBy, CacheStatus cache, ExpertCall... calls) {
        return new RequestOutcome(clock.wallClock().instant(), "req", decision(category), List.of(calls), answeredBy,
                answeredBy == null ? 503 : 200, 1_000_000, cache, PromptRecord.of("hello", false));
    }

    private static RoutingDecision decision(String category) {
        return new RoutingDecision("auto", category, 0.9, Map.of(category, 0.9), List.of(CODER, WRITER),
                RoutingDecision.Reason.CATEGORY, 1000);
    }

    private static ExpertCall call(ExpertId expert, String outcome, long millis) {
        return new ExpertCall(expert, outcome, Duration.ofMillis(millis).toNanos());
    }
}
