package dev.coe.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The overhead benchmark's command line, where it decides how the router process is started. */
class BenchOptionsTest {

    @Test
    void should_leave_the_router_unpinned_when_no_cpus_are_given() {
        assertThat(BenchOptions.parse(new String[0]).routerCpus()).isEmpty();
    }

    @Test
    void should_accept_taskset_cpu_lists_when_pinning_the_router() {
        assertThat(BenchOptions.parse(new String[]{"--router-cpus=1"}).routerCpus()).isEqualTo("1");
        assertThat(BenchOptions.parse(new String[]{"--router-cpus=0,2"}).routerCpus()).isEqualTo("0,2");
        assertThat(BenchOptions.parse(new String[]{"--router-cpus=2-3,5"}).routerCpus()).isEqualTo("2-3,5");
    }

    @Test
    void should_refuse_a_cpu_list_when_it_is_not_one() {
        // The list becomes an argument of taskset: anything else must stop the run before a process starts.
        for (String bad : new String[]{"one", "1;2", "-1", "1,", "1-", "1,,2"}) {
            assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--router-cpus=" + bad}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--router-cpus");
        }
    }

    @Test
    void should_wait_for_the_jit_by_default_when_warming_up() {
        BenchOptions options = BenchOptions.parse(new String[0]);

        assertThat(options.jitSettled()).isEqualTo(BenchOptions.DEFAULT_JIT_SETTLED);
        assertThat(options.maxWarmupTime()).hasSeconds(900);
    }

    @Test
    void should_measure_right_after_the_warmup_when_jit_settled_is_zero() {
        assertThat(BenchOptions.parse(new String[]{"--jit-settled=0"}).jitSettled()).isZero();
    }

    @Test
    void should_refuse_a_jit_share_when_it_is_not_below_one() {
        for (String bad : new String[]{"1", "1.5", "-0.1", "NaN"}) {
            assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--jit-settled=" + bad}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--jit-settled");
        }
    }

    @Test
    void should_use_the_jdk_client_unless_told_to_use_blocking_sockets() {
        assertThat(BenchOptions.parse(new String[0]).client()).isEqualTo(BenchClient.Kind.JDK);
        assertThat(BenchOptions.parse(new String[]{"--client=socket"}).client()).isEqualTo(BenchClient.Kind.SOCKET);
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--client=okhttp"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--client takes jdk or socket");
    }
}
