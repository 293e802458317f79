package dev.coe.router.expert;

import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.SimulationConfig;
import dev.coe.gateway.resilience.ResilienceConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpertCatalogTest {

    @Test
    void should_inherit_defaults_and_parse_spring_durations_when_entry_sets_none() {
        // given
        String yaml = """
                defaults: {connect-timeout: 3s, request-timeout: 90s}
                experts:
                  - {id: a, provider: openai, base-url: "http://localhost:8000/v1", model: m, request-timeout: 500ms,
                     cost: {active-params-b: 3.3}}
                  - {id: b, provider: ollama, base-url: "http://localhost:11434", model: llama}
                  - {id: c, provider: openai, base-url: "http://x/v1", model: m, enabled: false}
                """;

        // when
        List<ExpertConfig> configs = ExpertCatalog.parse(yaml);

        // then
        assertThat(configs).extracting(c -> c.id().value()).containsExactly("a", "b");
        assertThat(configs.get(0).requestTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(configs.get(0).connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(configs.get(0).cost().activeParamsBillions()).isEqualTo(3.3);
        assertThat(configs.get(1).requestTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(configs.get(1).provider()).isEqualTo(ProviderKind.OLLAMA);
    }

    @Test
    void should_override_resilience_defaults_field_by_field_when_an_expert_sets_its_own() {
        String yaml = """
                defaults:
                  resilience:
                    first-token-timeout: 20s
                    circuit-breaker: {failure-rate-threshold: 40, sliding-window-size: 10, open-state-wait: 15s}
                    retry: {max-attempts: 3, initial-backoff: 100ms}
                experts:
                  - id: gpu
                    provider: openai
                    base-url: "http://localhost:8000/v1"
                    model: m
                    resilience:
                      circuit-breaker: {sliding-window-size: 4}
                      bulkhead: {max-concurrent-calls: 8, max-queue-wait: 50ms}
                      rate-limit: {calls: 5, per: 1s}
                  - {id: hosted, provider: openai, base-url: "http://x/v1", model: m}
                """;

        List<ExpertConfig> configs = ExpertCatalog.parse(yaml);

        ResilienceConfig gpu = configs.get(0).resilience();
        assertThat(gpu.slidingWindowSize()).isEqualTo(4);
        assertThat(gpu.failureRateThreshold()).isEqualTo(40f);
        assertThat(gpu.openStateWait()).isEqualTo(Duration.ofSeconds(15));
        assertThat(gpu.maxConcurrentCalls()).isEqualTo(8);
        assertThat(gpu.maxQueueWait()).isEqualTo(Duration.ofMillis(50));
        assertThat(gpu.rateLimitPerPeriod()).isEqualTo(5);
        assertThat(gpu.maxAttempts()).isEqualTo(3);
        assertThat(gpu.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(20));
        ResilienceConfig hosted = configs.get(1).resilience();
        assertThat(hosted.slidingWindowSize()).isEqualTo(10);
        assertThat(hosted.maxConcurrentCalls()).isEqualTo(ResilienceConfig.DEFAULTS.maxConcurrentCalls());
        assertThat(hosted.rateLimited()).isFalse();
    }

    @Test
    void should_name_expert_and_setting_when_a_resilience_value_is_out_of_range() {
        assertThatThrownBy(() -> ExpertCatalog.parse("""
                experts:
                  - {id: a, provider: openai, base-url: 'http://x/v1', model: m, resilience: {retry: {max-attempts: 0}}}
                """)).hasMessageContaining("expert a").hasMessageContaining("max-attempts");
        assertThatThrownBy(() -> ExpertCatalog.parse("""
                experts:
                  - {id: a, provider: openai, base-url: 'http://x/v1', model: m, resilience: {circuit-breaker: {open-state-wait: later}}}
                """)).hasMessageContaining("expert a").hasMessageContaining("open-state-wait").hasMessageContaining("later");
    }

    @Test
    void should_name_expert_and_field_when_a_value_is_wrong() {
        assertThatThrownBy(() -> ExpertCatalog.parse("experts:\n  - {id: a, provider: openai, base-url: 'http://x/v1', model: m, request-timeout: soon}"))
                .hasMessageContaining("request-timeout").hasMessageContaining("expert a").hasMessageContaining("soon");
        assertThatThrownBy(() -> ExpertCatalog.parse("experts:\n  - {id: a, provider: grpc, base-url: 'http://x/v1', model: m}"))
                .hasMessageContaining("provider").hasMessageContaining("grpc");
        assertThatThrownBy(() -> ExpertCatalog.parse("experts:\n  - {id: a, provider: openai, model: m}"))
                .hasMessageContaining("baseUrl of expert a");
        assertThatThrownBy(() -> ExpertCatalog.parse("experts:\n  - {id: a, provider: openai, base-url: 'http://x/v1', model: m, colour: red}"))
                .hasMessageContaining("colour");
    }

    @Test
    void should_read_the_simulation_and_keep_defaults_for_what_it_leaves_out() {
        List<ExpertConfig> configs = ExpertCatalog.parse("""
                experts:
                  - id: sim
                    provider: simulated
                    model: m
                    simulation: {first-token-latency: 200ms, error-rate: 0.1, latency-spread: 0.5}
                """);

        SimulationConfig sim = configs.getFirst().simulation();
        assertThat(sim.firstTokenLatency()).isEqualTo(Duration.ofMillis(200));
        assertThat(sim.errorRate()).isEqualTo(0.1);
        assertThat(sim.latencySpread()).isEqualTo(0.5);
        assertThat(sim.tokensPerSecond()).isEqualTo(SimulationConfig.DEFAULT.tokensPerSecond());
        assertThat(sim.answerTokens()).isEqualTo(SimulationConfig.DEFAULT.answerTokens());
    }

    @Test
    void should_name_expert_and_field_when_a_simulation_value_is_out_of_range() {
        assertThatThrownBy(() -> ExpertCatalog.parse("""
                experts:
                  - {id: sim, provider: simulated, model: m, simulation: {latency-spread: 1.5}}
                """)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expert sim").hasMessageContaining("latencySpread").hasMessageContaining("1.5");
    }

    @Test
    void should_parse_the_shipped_config_when_router_starts_with_defaults() throws Exception {
        // given
        String shipped = Files.readString(Path.of("../config/experts.yaml"))
                .replaceAll("\\$\\{[A-Z_]+:([^}]*)}", "$1");

        // when
        List<ExpertConfig> configs = ExpertCatalog.parse(shipped);

        // then
        assertThat(configs).extracting(c -> c.id().value()).contains("local-moe", "ollama-llama");
        assertThat(configs).allSatisfy(c -> assertThat(c.toString()).doesNotContain("sk-"));
    }
}
