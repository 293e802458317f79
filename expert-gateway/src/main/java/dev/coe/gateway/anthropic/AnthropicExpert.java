package dev.coe.gateway.anthropic;

import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.Feature;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.internal.ExpertErrorMapper;
import dev.coe.gateway.internal.HealthProbe;
import dev.coe.gateway.internal.LangChain4jExpert;
import dev.coe.gateway.internal.ToolSchemas;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicChatRequestParameters;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ToolChoice;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * An expert behind Anthropic's Messages API ({@code POST {baseUrl}/messages}, where the base URL includes the
 * version path, e.g. {@code https://api.anthropic.com/v1}), called through langchain4j-anthropic's
 * {@link AnthropicChatModel} and {@link AnthropicStreamingChatModel}. Thread-safe; the models are built once.
 * <p>
 * Anthropic requires {@code max_tokens}: the request's max tokens is sent when set, else
 * {@link #DEFAULT_MAX_TOKENS}. Supported options, as langchain4j-anthropic sends them: {@code temperature},
 * {@code top_p}, {@code max_tokens}, {@code stop_sequences}, {@code metadata.user_id} (for {@code user}),
 * {@code tools}, {@code tool_choice} ({@code required} becomes {@code any}, a named function {@code tool}),
 * {@code disable_parallel_tool_use} (the negation of {@code parallel_tool_calls}) and a JSON-schema response
 * format. Not supported: {@code seed}, the two penalties (Anthropic has none) and a schemaless JSON response
 * format (langchain4j refuses it).
 * <p>
 * The key goes in the {@code x-api-key} header, with {@code anthropic-version: 2023-06-01}. Failures are
 * {@link dev.coe.gateway.ExpertException}s mapped by {@link ExpertErrorMapper}.
 */
public final class AnthropicExpert extends LangChain4jExpert {

    /** The {@code max_tokens} sent when the request names none; Anthropic refuses a request without it. */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    /** The API version sent in the {@code anthropic-version} header. */
    public static final String API_VERSION = "2023-06-01";

    public static final Set<Feature> SUPPORTED_FEATURES = Collections.unmodifiableSet(EnumSet.of(
            Feature.TEMPERATURE, Feature.TOP_P, Feature.MAX_TOKENS, Feature.STOP, Feature.USER, Feature.TOOLS,
            Feature.TOOL_CHOICE, Feature.PARALLEL_TOOL_CALLS, Feature.RESPONSE_FORMAT_JSON_SCHEMA));

    /**
     * @param config an expert of provider {@link ProviderKind#ANTHROPIC}
     * @param apiKey the key sent as {@code x-api-key}
     * @throws IllegalArgumentException if the config is for another provider or the key is blank
     */
    public AnthropicExpert(ExpertConfig config, String apiKey) {
        super(requireProvider(config, apiKey), SUPPORTED_FEATURES, ExpertErrorMapper.of(config, apiKey),
                AnthropicChatModel.builder()
                        .httpClientBuilder(httpClientBuilder(config))
                        .baseUrl(config.baseUrl().toString())
                        .apiKey(apiKey)
                        .version(API_VERSION)
                        .modelName(config.model())
                        .maxTokens(DEFAULT_MAX_TOKENS)
                        .maxRetries(0)
                        .build(),
                AnthropicStreamingChatModel.builder()
                        .httpClientBuilder(httpClientBuilder(config))
                        .baseUrl(config.baseUrl().toString())
                        .apiKey(apiKey)
                        .version(API_VERSION)
                        .modelName(config.model())
                        .maxTokens(DEFAULT_MAX_TOKENS)
                        .build(),
                new HealthProbe(HealthProbe.resolve(config.baseUrl(), "/models"), config.baseUrl(),
                        Map.of("x-api-key", apiKey, "anthropic-version", API_VERSION), config.connectTimeout()));
    }

    private static ExpertConfig requireProvider(ExpertConfig config, String apiKey) {
        if (config.provider() != ProviderKind.ANTHROPIC) {
            throw new IllegalArgumentException("expert " + config.id() + " has provider " + config.provider().configName()
                    + ", not anthropic");
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("expert " + config.id() + " needs an API key: provider anthropic always does");
        }
        return config;
    }

    @Override
    protected ChatRequest toChatRequest(ExpertRequest request) {
        ToolSchemas.firstRootKeywordLost(request.tools()).ifPresent(lost -> {
            // langchain4j's mapping for this provider would drop it: refuse instead of sending less than asked.
            throw errors().rejected(lost + " cannot be sent to provider %s".formatted(config().provider().configName()));
        });
        boolean hasTools = !request.tools().isEmpty();
        AnthropicChatRequestParameters.Builder parameters = AnthropicChatRequestParameters.builder()
                .temperature(request.temperature())
                .topP(request.topP())
                .maxOutputTokens(request.maxTokens())
                .stopSequences(request.stop().isEmpty() ? null : request.stop())
                .userId(request.user())
                .toolSpecifications(hasTools ? request.tools() : null)
                .responseFormat(request.responseFormat());
        if (hasTools) {
            // langchain4j sends tool_choice (and with it the name and disable_parallel_tool_use) only when a
            // ToolChoice is set, so a name or a parallel flag alone needs one.
            ToolChoice choice = request.toolChoiceFunction() != null ? ToolChoice.REQUIRED : request.toolChoice();
            if (choice == null && request.parallelToolCalls() != null) {
                choice = ToolChoice.AUTO;
            }
            parameters.toolChoice(choice)
                    .toolChoiceName(request.toolChoiceFunction())
                    .disableParallelToolUse(request.parallelToolCalls() == null ? null : !request.parallelToolCalls());
        }
        return ChatRequest.builder()
                .messages(request.messages())
                .parameters(parameters.build())
                .build();
    }
}
