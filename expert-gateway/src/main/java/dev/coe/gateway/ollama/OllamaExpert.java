package dev.coe.gateway.ollama;

import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.Feature;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.internal.ExpertErrorMapper;
import dev.coe.gateway.internal.HealthProbe;
import dev.coe.gateway.internal.LangChain4jExpert;
import dev.coe.gateway.internal.ToolSchemas;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaChatRequestParameters;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * An expert behind Ollama's native {@code POST {baseUrl}/api/chat}, called through langchain4j-ollama's
 * {@link OllamaChatModel} and {@link OllamaStreamingChatModel} (NDJSON streaming). Thread-safe; the models are
 * built once in the constructor.
 * <p>
 * Supported options, as langchain4j-ollama 1.18.1 sends them: {@code temperature}, {@code top_p}, {@code seed},
 * {@code stop} and {@code num_predict} (for max tokens) in {@code options}; {@code tools} (raw JSON schemas
 * unchanged); {@code format} as {@code "json"} or as the JSON schema. Not supported, because Ollama has no such
 * field or langchain4j refuses it: {@code user}, the two penalties, a required or named {@code tool_choice},
 * {@code parallel_tool_calls}. A {@code tool_choice} of {@code none} is honoured by not sending the tools.
 * The seed must fit in 32 bits.
 * <p>
 * If the config names an API key (for an Ollama behind an authenticating proxy) it is sent as
 * {@code Authorization: Bearer}. Failures are {@link dev.coe.gateway.ExpertException}s mapped by
 * {@link ExpertErrorMapper}.
 */
public final class OllamaExpert extends LangChain4jExpert {

    public static final Set<Feature> SUPPORTED_FEATURES = Collections.unmodifiableSet(EnumSet.of(
            Feature.TEMPERATURE, Feature.TOP_P, Feature.MAX_TOKENS, Feature.STOP, Feature.SEED, Feature.TOOLS,
            Feature.RESPONSE_FORMAT_JSON_OBJECT, Feature.RESPONSE_FORMAT_JSON_SCHEMA));

    /**
     * @param config an expert of provider {@link ProviderKind#OLLAMA}
     * @param apiKey a bearer token for a proxy in front of Ollama, or null (plain Ollama needs none)
     * @throws IllegalArgumentException if the config is for another provider
     */
    public OllamaExpert(ExpertConfig config, String apiKey) {
        super(requireProvider(config), SUPPORTED_FEATURES, ExpertErrorMapper.of(config, apiKey),
                OllamaChatModel.builder()
                        .httpClientBuilder(httpClientBuilder(config))
                        .baseUrl(config.baseUrl().toString())
                        .modelName(config.model())
                        .customHeaders(authorization(apiKey))
                        .maxRetries(0)
                        .build(),
                OllamaStreamingChatModel.builder()
                        .httpClientBuilder(httpClientBuilder(config))
                        .baseUrl(config.baseUrl().toString())
                        .modelName(config.model())
                        .customHeaders(authorization(apiKey))
                        .build(),
                new HealthProbe(HealthProbe.resolve(config.baseUrl(), "/api/version"), config.baseUrl(),
                        authorization(apiKey), config.connectTimeout()));
    }

    private static Map<String, String> authorization(String apiKey) {
        return apiKey == null ? Map.of() : Map.of("Authorization", "Bearer " + apiKey);
    }

    private static ExpertConfig requireProvider(ExpertConfig config) {
        if (config.provider() != ProviderKind.OLLAMA) {
            throw new IllegalArgumentException("expert " + config.id() + " has provider " + config.provider().configName()
                    + ", not ollama");
        }
        return config;
    }

    @Override
    protected ChatRequest toChatRequest(ExpertRequest request) {
        ToolSchemas.firstRootKeywordLost(request.tools()).ifPresent(lost -> {
            // langchain4j's mapping for this provider would drop it: refuse instead of sending less than asked.
            throw errors().rejected(lost + " cannot be sent to provider %s".formatted(config().provider().configName()));
        });
        // Ollama has no tool_choice; "none" means the model must not call a tool, so it gets none to call.
        boolean sendTools = !request.tools().isEmpty() && request.toolChoice() != ToolChoice.NONE;
        OllamaChatRequestParameters parameters = OllamaChatRequestParameters.builder()
                .temperature(request.temperature())
                .topP(request.topP())
                .maxOutputTokens(request.maxTokens())
                .stopSequences(request.stop().isEmpty() ? null : request.stop())
                .seed(intSeed(request.seed()))
                .toolSpecifications(sendTools ? request.tools() : null)
                .responseFormat(request.responseFormat())
                .build();
        return ChatRequest.builder()
                .messages(request.messages())
                .parameters(parameters)
                .build();
    }
}
