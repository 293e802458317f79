package dev.coe.gateway;

import dev.coe.gateway.anthropic.AnthropicExpert;
import dev.coe.gateway.ollama.OllamaExpert;
import dev.coe.gateway.openai.OpenAiCompatibleExpert;
import dev.coe.gateway.simulated.SimulatedExpert;

import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Builds the {@link Expert} for an {@link ExpertConfig}, choosing the implementation by provider and reading the
 * API key from the environment. Immutable and thread-safe.
 * <p>
 * The key is read once, at creation, from the variable the config names ({@link ExpertConfig#apiKeyEnv()}). When
 * that variable is unset or blank the expert is still created, but switched off: every call fails with a
 * {@link RetriableExpertException} of reason {@code DISABLED} and its health is
 * {@code DISABLED "API key variable OPENAI_API_KEY is not set"}, so that one missing key never stops the router.
 * The key itself never appears in a message, a {@code toString} or a log line.
 */
public final class ExpertFactory {

    private final Function<String, String> environment;

    private ExpertFactory(Function<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * @param environment how to read an environment variable: {@code System::getenv} in production, a map's
     *                    {@code get} in tests; returns null for an unset variable
     */
    public static ExpertFactory of(Function<String, String> environment) {
        return new ExpertFactory(environment);
    }

    /** A factory reading the process environment. */
    public static ExpertFactory ofSystemEnvironment() {
        return new ExpertFactory(System::getenv);
    }

    /**
     * Creates the expert. Builds its HTTP clients and models, but does not contact the server.
     *
     * @throws IllegalArgumentException if the config cannot make a working expert even with its key, e.g. an
     *                                  Anthropic expert without {@code apiKeyEnv}
     */
    public Expert create(ExpertConfig config) {
        Objects.requireNonNull(config, "config");
        return switch (config.provider()) {
            case SIMULATED -> new SimulatedExpert(config);
            case OPENAI_COMPATIBLE -> withKey(config, OpenAiCompatibleExpert.SUPPORTED_FEATURES, OpenAiCompatibleExpert::new);
            case OLLAMA -> withKey(config, OllamaExpert.SUPPORTED_FEATURES, OllamaExpert::new);
            case ANTHROPIC -> {
                if (config.apiKeyEnv().isEmpty()) {
                    throw new IllegalArgumentException("apiKeyEnv of expert " + config.id()
                            + " must be set: provider anthropic always needs an API key");
                }
                yield withKey(config, AnthropicExpert.SUPPORTED_FEATURES, AnthropicExpert::new);
            }
        };
    }

    private Expert withKey(ExpertConfig config, Set<Feature> features, BiFunction<ExpertConfig, String, Expert> constructor) {
        if (config.apiKeyEnv().isEmpty()) {
            return constructor.apply(config, null);
        }
        String variable = config.apiKeyEnv().get();
        String key = environment.apply(variable);
        if (key == null || key.isBlank()) {
            return new DisabledExpert(config, features, "API key variable " + variable + " is not set");
        }
        return constructor.apply(config, key.strip());
    }

    @Override
    public String toString() {
        return "ExpertFactory";
    }
}
