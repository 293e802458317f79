package dev.coe.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the soak reads {@code jcmd GC.heap_info} and {@code /actuator/prometheus}. */
class RouterProbeTest {

    @Test
    void should_leave_out_young_regions_allocated_since_the_gc_when_the_collector_is_g1() {
        // given: the output of jcmd <pid> -f with GC.run then GC.heap_info, as JDK 25 prints it
        String output = """
                3608:
                Command executed successfully
                 garbage-first heap   total reserved 262144K, committed 262144K, used 30720K [0x00000000f0000000, 0x0000000100000000)
                  region size 1024K, 5 young (5120K), 0 survivors (0K)
                 Metaspace       used 70123K, committed 70656K, reserved 1114112K
                  class space    used 8765K, committed 9024K, reserved 1048576K
                """;

        // when
        long heap = RouterProbe.heapAfterGc(output);

        // then
        assertThat(heap).isEqualTo((30720 - 5120) * 1024L);
    }

    @Test
    void should_add_up_the_generations_when_the_collector_is_not_g1() {
        // given
        String output = """
                 def new generation   total 4928K, used 512K [0x00000000f0000000, 0x00000000f0550000, 0x00000000f5550000)
                  eden space 4416K,  11% used [0x00000000f0000000, 0x00000000f0080000, 0x00000000f0450000)
                 tenured generation   total 10944K, used 3500K [0x00000000f5550000, 0x00000000f6000000, 0x0000000100000000)
                 Metaspace       used 7000K, committed 7168K, reserved 1114112K
                """;

        // when
        long heap = RouterProbe.heapAfterGc(output);

        // then
        assertThat(heap).isEqualTo((512 + 3500) * 1024L);
    }

    @Test
    void should_sum_prometheus_series_by_name_and_labels() {
        // given
        PrometheusText page = PrometheusText.parse("""
                # HELP coe_router_fallbacks_total Experts given up on for the next of the chain, by outcome
                # TYPE coe_router_fallbacks_total counter
                coe_router_fallbacks_total{category="coding",expert="flaky",outcome="circuit_open"} 12.0
                coe_router_fallbacks_total{category="math",expert="flaky",outcome="server_error"} 3.0
                resilience4j_circuitbreaker_state{name="flaky",state="closed"} 0.0
                resilience4j_circuitbreaker_state{name="flaky",state="open"} 1.0
                jvm_threads_live_threads 73.0
                """);

        // then
        assertThat(page.sum("coe_router_fallbacks_total")).isEqualTo(15.0);
        assertThat(page.sum("coe_router_fallbacks_total", "outcome", "server_error")).isEqualTo(3.0);
        assertThat(page.sumBy("coe_router_fallbacks_total", "outcome")).containsEntry("circuit_open", 12.0).hasSize(2);
        assertThat(page.labelWhereOne("resilience4j_circuitbreaker_state", "state", "name", "flaky")).contains("open");
        assertThat(page.sum("jvm_threads_live_threads")).isEqualTo(73.0);
        assertThat(page.sum("no_such_metric")).isZero();
    }
}
