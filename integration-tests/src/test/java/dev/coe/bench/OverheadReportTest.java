package dev.coe.bench;

import dev.coe.bench.BenchOptions.Mode;
import dev.coe.bench.OverheadReport.Scenario;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The overhead report's verdicts: router minus direct, and the same paired with the expert's own times. */
class OverheadReportTest {

    private static final URI EXPERT = URI.create("http://127.0.0.1:1/v1");
    private static final URI ROUTER = URI.create("http://127.0.0.1:2");
    private static final Target DIRECT = Target.direct(EXPERT, "m");
    private static final Target SIM = Target.routerToExpert(ROUTER, "sim");
    private static final Target AUTO = Target.routerAuto(ROUTER);
    private static final Target HIT = Target.routerCacheHit(ROUTER, "sim");
    private static final Scenario ONE_PIECE = new Scenario(Mode.NON_STREAMING, 64);

    /** 100 answers of {@code completeMs}, each of which spent {@code outsideMs} outside the expert (negative: not timed). */
    private static RunResult run(double completeMs, double outsideMs) {
        RunResult r = new RunResult();
        for (int i = 0; i < 100; i++) {
            r.answered(nanos(completeMs), 0, null);
            if (outsideMs >= 0) {
                r.outsideExpert(nanos(outsideMs), -1);
            }
        }
        r.elapsed = Duration.ofSeconds(1);
        return r;
    }

    private static long nanos(double ms) {
        return Math.round(ms * 1e6);
    }

    private static OverheadReport report(double routerCompleteMs, double routerOutsideMs) {
        OverheadReport report = new OverheadReport(DIRECT, SIM, AUTO, HIT, Double.NaN);
        report.add(ONE_PIECE, DIRECT, run(600, 0.3));
        report.add(ONE_PIECE, SIM, run(routerCompleteMs, routerOutsideMs));
        report.add(ONE_PIECE, AUTO, run(routerCompleteMs + 5, routerOutsideMs + 5));
        report.add(ONE_PIECE, HIT, run(0.5, -1));
        return report;
    }

    @Test
    void should_report_the_paired_added_latency_beside_the_difference_of_medians_when_the_expert_timed_the_requests() {
        // given: the router's medians 3 ms above direct (a different mix of answer lengths), but only 1.2 ms more outside the expert
        String md = report(603, 1.5).markdown();

        // then
        assertThat(md).contains("| non-streaming | 64 | full answer | 0.30 | **1.20** | 1.20 | 1.20 | 6.20 |");
        assertThat(md).contains("router minus direct, **missed** in [non-streaming c=64 full answer]; "
                + "paired with the expert's own times, **met** in every row.");
    }

    @Test
    void should_miss_the_paired_goal_when_the_router_adds_two_milliseconds_outside_the_expert() {
        String md = report(601, 2.5).markdown();

        assertThat(md).contains("router minus direct, **met** in every row; paired with the expert's own times, "
                + "**missed** in [non-streaming c=64 full answer].");
    }

    @Test
    void should_say_not_measured_when_no_request_was_timed_by_the_expert() {
        OverheadReport report = new OverheadReport(DIRECT, SIM, AUTO, HIT, Double.NaN);
        report.add(ONE_PIECE, DIRECT, run(600, -1));
        report.add(ONE_PIECE, SIM, run(601, -1));

        String md = report.markdown();

        assertThat(md).doesNotContain("Paired with the expert's own times");
        assertThat(md).contains("paired with the expert's own times, not measured.");
    }
}
