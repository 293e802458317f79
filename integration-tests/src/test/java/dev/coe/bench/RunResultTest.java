package dev.coe.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RunResultTest {

    private static RunResult answered(int requests, Duration elapsed) {
        RunResult r = new RunResult();
        for (int i = 0; i < requests; i++) {
            r.answered(2_000_000, 0, null);
        }
        r.elapsed = elapsed;
        return r;
    }

    @Test
    void should_charge_each_request_its_share_of_the_cpu_less_what_the_router_burns_idle() {
        RunResult r = answered(100, Duration.ofSeconds(2));
        r.routerCpu = Duration.ofMillis(250);

        // 250 ms used, of which 2 s x 25 ms/s = 50 ms idle: 200 ms over 100 requests.
        assertThat(r.routerCpuMillisPerRequest(25)).isCloseTo(2.0, within(1e-9));
        assertThat(r.routerCpuMillisPerRequest(Double.NaN)).isCloseTo(2.5, within(1e-9));
    }

    @Test
    void should_add_up_unclassified_answers_when_the_workers_results_are_merged() {
        RunResult total = answered(3, Duration.ofSeconds(1));
        RunResult worker = answered(2, Duration.ofSeconds(1));
        total.unclassified();
        worker.unclassified();
        worker.unclassified();

        total.add(worker);

        assertThat(total.unclassified).isEqualTo(3);
        assertThat(total.succeeded()).isEqualTo(5);
    }

    @Test
    void should_report_no_cpu_when_it_was_not_measured_or_nothing_was_answered() {
        RunResult direct = answered(100, Duration.ofSeconds(1));
        RunResult empty = answered(0, Duration.ofSeconds(1));
        empty.routerCpu = Duration.ofMillis(10);

        assertThat(direct.routerCpuMillisPerRequest(0)).isNaN();
        assertThat(empty.routerCpuMillisPerRequest(0)).isNaN();
    }

    @Test
    void should_never_report_negative_cpu_when_the_idle_estimate_exceeds_the_run() {
        RunResult r = answered(10, Duration.ofSeconds(1));
        r.routerCpu = Duration.ofMillis(5);

        assertThat(r.routerCpuMillisPerRequest(50)).isZero();
    }
}
