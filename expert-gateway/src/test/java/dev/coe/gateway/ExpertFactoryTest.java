package dev.coe.gateway;

import dev.coe.gateway.anthropic.AnthropicExpert;
import dev.coe.gateway.ollama.OllamaExpert;
import dev.coe.gateway.openai.OpenAiCompatibleExpert;
import dev.coe.gateway.simulated.SimulatedExpert;
import dev.coe.gateway.stub.RecordingHandler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.coe.gateway.ContractFixtures.question;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpertFactoryTest {

    private static final String SECRET = "sk-live-very-secret-0123456789";

    private static ExpertConfig openAi(String baseUrl) {
        return ExpertConfig.builder("gpt").provider(ProviderKind.OPENAI_COMPATIBLE).baseUrl(baseUrl)
                .model("gpt-4o-mini").apiKeyEnv("OPENAI_API_KEY").connectTimeout(Duration.ofMillis(500)).build();
    }

    private static ExpertRequest ask() {
        return ExpertRequest.builder(question("Hi")).build();
    }

    @Test
    void should_create_a_disabled_expert_when_the_key_variable_is_unset() {
        // given
        Expert expert = ExpertFactory.of(Map.<String, String>of()::get).create(openAi("https://api.openai.com/v1"));
        RecordingHandler handler = new RecordingHandler();

        // when
        ExpertHealth health = expert.checkHealth();

        // then
        assertThat(health).isEqualTo(ExpertHealth.disabled("API key variable OPENAI_API_KEY is not set"));
        assertThat(expert.id()).isEqualTo(ExpertId.of("gpt"));
        assertThat(expert.supportedFeatures()).isEqualTo(OpenAiCompatibleExpert.SUPPORTED_FEATURES);
        assertThatThrownBy(() -> expert.chat(ask()))
                .isInstanceOfSatisfying(RetriableExpertException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RetriableExpertException.Reason.DISABLED);
                    assertThat(e.getMessage()).isEqualTo("gpt: API key variable OPENAI_API_KEY is not set");
                });
        expert.stream(ask(), handler);
        assertThat(handler.awaitError(Duration.ofSeconds(5))).isInstanceOfSatisfying(RetriableExpertException.class,
                e -> assertThat(e.reason()).isEqualTo(RetriableExpertException.Reason.DISABLED));
    }

    @Test
    void should_treat_a_blank_key_as_unset() {
        // when
        Expert expert = ExpertFactory.of(Map.of("OPENAI_API_KEY", "  ")::get).create(openAi("https://api.openai.com/v1"));

        // then
        assertThat(expert.checkHealth().status()).isEqualTo(ExpertHealth.Status.DISABLED);
    }

    @Test
    void should_keep_the_key_out_of_strings_messages_and_health() {
        // given: nothing listens on port 9 of localhost
        Expert expert = ExpertFactory.of(Map.of("OPENAI_API_KEY", SECRET)::get).create(openAi("http://127.0.0.1:9/v1"));

        // when
        ExpertHealth health = expert.checkHealth();

        // then
        assertThat(expert).isInstanceOf(OpenAiCompatibleExpert.class);
        assertThat(expert.toString()).doesNotContain(SECRET).contains("gpt");
        assertThat(expert.config().toString()).doesNotContain(SECRET).contains("OPENAI_API_KEY");
        assertThat(health.status()).isEqualTo(ExpertHealth.Status.DOWN);
        assertThat(health.detail()).doesNotContain(SECRET).isEqualTo("connection refused at http://127.0.0.1:9/v1");
        assertThatThrownBy(() -> expert.chat(ask()))
                .isInstanceOfSatisfying(RetriableExpertException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RetriableExpertException.Reason.UNREACHABLE);
                    assertThat(e.getMessage()).doesNotContain(SECRET);
                });
    }

    @Test
    void should_pick_the_implementation_by_provider() {
        // given
        ExpertFactory factory = ExpertFactory.of(Map.of("ANTHROPIC_API_KEY", "k")::get);

        // when
        Expert ollama = factory.create(ExpertConfig.builder("local").provider(ProviderKind.OLLAMA)
                .baseUrl("http://localhost:11434").model("llama3.2").build());
        Expert anthropic = factory.create(ExpertConfig.builder("claude").provider(ProviderKind.ANTHROPIC)
                .baseUrl("https://api.anthropic.com/v1").model("claude-sonnet-4-5").apiKeyEnv("ANTHROPIC_API_KEY").build());
        Expert simulated = factory.create(ExpertConfig.builder("sim").provider(ProviderKind.SIMULATED).build());

        // then
        assertThat(ollama).isInstanceOf(OllamaExpert.class);
        assertThat(anthropic).isInstanceOf(AnthropicExpert.class);
        assertThat(simulated).isInstanceOf(SimulatedExpert.class);
        assertThat(simulated.simulated()).isTrue();
        assertThat(ollama.simulated()).isFalse();
    }

    @Test
    void should_refuse_an_anthropic_expert_without_a_key_variable() {
        // given
        ExpertConfig config = ExpertConfig.builder("claude").provider(ProviderKind.ANTHROPIC)
                .baseUrl("https://api.anthropic.com/v1").model("claude-sonnet-4-5").build();

        // when / then
        assertThatThrownBy(() -> ExpertFactory.ofSystemEnvironment().create(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apiKeyEnv of expert claude must be set: provider anthropic always needs an API key");
    }
}
