package dev.coe.gateway;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An expert that is configured but switched off, typically a hosted expert whose API key variable is not set. It
 * stays in the registry, so that routing tables naming it still load and the dashboard can show why it is off,
 * but every call fails with a {@link RetriableExpertException} of reason {@code DISABLED} (another expert may
 * answer). Immutable and thread-safe.
 */
final class DisabledExpert implements Expert {

    private final ExpertConfig config;
    private final Set<Feature> supportedFeatures;
    private final String reason;

    /**
     * @param supportedFeatures what the expert would support if enabled, so that routing validates the same way
     * @param reason            why it is off, e.g. "API key variable OPENAI_API_KEY is not set"; never a secret
     */
    DisabledExpert(ExpertConfig config, Set<Feature> supportedFeatures, String reason) {
        this.config = config;
        this.supportedFeatures = Set.copyOf(supportedFeatures);
        this.reason = reason;
    }

    @Override
    public ExpertId id() {
        return config.id();
    }

    @Override
    public ExpertConfig config() {
        return config;
    }

    @Override
    public Set<Feature> supportedFeatures() {
        return supportedFeatures;
    }

    @Override
    public ChatResponse chat(ExpertRequest request) {
        throw failure();
    }

    @Override
    public void stream(ExpertRequest request, StreamingChatResponseHandler handler) {
        CompletableFuture.runAsync(() -> handler.onError(failure()));
    }

    @Override
    public ExpertHealth checkHealth() {
        return ExpertHealth.disabled(reason);
    }

    private RetriableExpertException failure() {
        return new RetriableExpertException(config.id(), RetriableExpertException.Reason.DISABLED, reason, null);
    }

    @Override
    public String toString() {
        return "DisabledExpert{id=" + config.id() + ", provider=" + config.provider().configName() + ", reason=" + reason + "}";
    }
}
