package dev.coe.gateway.openai;

import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.Feature;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.internal.ExpertErrorMapper;
import dev.coe.gateway.internal.HealthProbe;
import dev.coe.gateway.internal.LangChain4jExpert;
import dev.coe.gateway.internal.ToolSchemas;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An expert behind the OpenAI Chat Completions API ({@code POST {baseUrl}/chat/completions}): OpenAI itself, vLLM,
 * SGLang, llama.cpp server and other compatible servers, called through langchain4j's {@link OpenAiChatModel} and
 * {@link OpenAiStreamingChatModel}. Thread-safe; the models are built once in the constructor.
 * <p>
 * Every {@link Feature} is sent as the OpenAI field it names. Two details of the translation:
 * <ul>
 *   <li>a forced function ({@link ExpertRequest#toolChoiceFunction()}) cannot be said with langchain4j's
 *       {@code ToolChoice} enum, so it is sent through langchain4j's custom parameters as
 *       {@code "tool_choice": {"type": "function", "function": {"name": ...}}};</li>
 *   <li>tool parameter and {@code json_schema} schemas given as {@code JsonRawSchema} reach the server unchanged
 *       (langchain4j parses the raw JSON into a map and serialises it again).</li>
 * </ul>
 * Streams ask for {@code stream_options.include_usage} (langchain4j always does), so the final response has the
 * token usage. The seed must fit in 32 bits (langchain4j sends an {@code int}); a larger one is refused.
 * <p>
 * {@link #chat} throws, and {@link #stream} reports to {@code onError}, an {@link dev.coe.gateway.ExpertException}
 * mapped by {@link ExpertErrorMapper}.
 */
public final class OpenAiCompatibleExpert extends LangChain4jExpert {

    /** All of them: the request options are OpenAI's own. */
    public static final Set<Feature> SUPPORTED_FEATURES = Collections.unmodifiableSet(EnumSet.allOf(Feature.class));

    /**
     * @param config an expert of provider {@link ProviderKind#OPENAI_COMPATIBLE}
     * @param apiKey the key sent as {@code Authorization: Bearer}, or null for a server that needs none
     * @throws IllegalArgumentException if the config is for another provider
     */
    public OpenAiCompatibleExpert(ExpertConfig config, String apiKey) {
        super(requireProvider(config), SUPPORTED_FEATURES, ExpertErrorMapper.of(config, apiKey),
                OpenAiChatModel.builder()
                        .httpClientBuilder(httpClientBuilder(config))
                        .baseUrl(config.baseUrl().toString())
                        .apiKey(apiKey)
                        .modelName(config.model())
                        .maxRetries(0)
                        .build(),
                OpenAiStreamingChatModel.builder()
                        .httpClientBuilder(httpClientBuilder(config))
                        .baseUrl(config.baseUrl().toString())
                        .apiKey(apiKey)
                        .modelName(config.model())
                        .build(),
                new HealthProbe(HealthProbe.resolve(config.baseUrl(), "/models"), config.baseUrl(),
                        apiKey == null ? Map.of() : Map.of("Authorization", "Bearer " + apiKey),
                        config.connectTimeout()));
    }

    private static ExpertConfig requireProvider(ExpertConfig config) {
        if (config.provider() != ProviderKind.OPENAI_COMPATIBLE) {
            throw new IllegalArgumentException("expert " + config.id() + " has provider " + config.provider().configName()
                    + ", not openai");
        }
        return config;
    }

    @Override
    protected ChatRequest toChatRequest(ExpertRequest request) {
        OpenAiChatRequestParameters.Builder parameters = OpenAiChatRequestParameters.builder()
                .temperature(request.temperature())
                .topP(request.topP())
                .maxOutputTokens(request.maxTokens())
                .stopSequences(request.stop().isEmpty() ? null : request.stop())
                .seed(intSeed(request.seed()))
                .user(request.user())
                .frequencyPenalty(request.frequencyPenalty())
                .presencePenalty(request.presencePenalty())
                .parallelToolCalls(request.parallelToolCalls())
                .responseFormat(request.responseFormat());
        Map<String, Object> custom = new LinkedHashMap<>();
        if (!request.tools().isEmpty()) {
            // langchain4j rebuilds tool schemas and drops root keywords (additionalProperties, description, $defs);
            // OpenAI's wire format takes the client's tools as they are, so they go out whole.
            custom.put("tools", ToolSchemas.openAiTools(request.tools()));
        }
        if (request.toolChoiceFunction() != null) {
            // Not expressible as langchain4j's ToolChoice: OpenAI's object form goes out as a custom parameter.
            Map<String, Object> toolChoice = new LinkedHashMap<>();
            toolChoice.put("type", "function");
            toolChoice.put("function", Map.of("name", request.toolChoiceFunction()));
            custom.put("tool_choice", toolChoice);
        } else {
            parameters.toolChoice(request.toolChoice());
        }
        if (!custom.isEmpty()) {
            parameters.customParameters(custom);
        }
        return ChatRequest.builder()
                .messages(request.messages())
                .parameters(parameters.build())
                .build();
    }
}
