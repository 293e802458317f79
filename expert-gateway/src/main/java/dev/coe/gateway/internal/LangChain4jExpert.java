package dev.coe.gateway.internal;

import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertHealth;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.Feature;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The shared half of every expert that calls a real server through a langchain4j chat model and streaming chat
 * model: refusing options the provider cannot honour, mapping every failure through {@link ExpertErrorMapper},
 * and guarding streams with {@link GuardedStreamingHandler}. Subclasses only translate an {@link ExpertRequest}
 * into a langchain4j {@link ChatRequest}. Thread-safe: the models are built once and shared by all calls.
 */
public abstract class LangChain4jExpert implements Expert {

    private final ExpertConfig config;
    private final Set<Feature> supportedFeatures;
    private final ExpertErrorMapper errors;
    private final ChatModel chatModel;
    private final StreamingChatModel streamingModel;
    private final HealthProbe healthProbe;

    protected LangChain4jExpert(ExpertConfig config, Set<Feature> supportedFeatures, ExpertErrorMapper errors,
                                ChatModel chatModel, StreamingChatModel streamingModel, HealthProbe healthProbe) {
        this.config = Objects.requireNonNull(config, "config");
        this.supportedFeatures = Set.copyOf(supportedFeatures);
        this.errors = errors;
        this.chatModel = chatModel;
        this.streamingModel = streamingModel;
        this.healthProbe = healthProbe;
    }

    /**
     * Where the JDK client runs its response work. langchain4j reads every streamed body by blocking on an input
     * stream in one of these tasks, for the whole length of the stream ({@link NotingHttpClient} moves that read here
     * from the common pool, where the JDK would run it): on virtual threads, a hundred concurrent streams cost a
     * hundred cheap virtual threads instead of a hundred platform threads competing for the cores.
     */
    private static final java.util.concurrent.Executor HTTP_TASKS =
            java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("coe-http-", 0).factory());

    /**
     * The HTTP client every model of an expert is built with: langchain4j's JDK client with the expert's connect
     * timeout, and its request timeout as the read timeout (for a stream: the wait for the response headers),
     * decorated so that a stream closed early is noticed ({@link StreamCloseWatch}) and the {@code Retry-After} of
     * a 429 or 503 reaches the error mapping ({@link RetryAfterCapture}).
     */
    protected static HttpClientBuilder httpClientBuilder(ExpertConfig config) {
        // Local engines (vLLM, llama.cpp, Ollama) speak plain HTTP/1.1: without this the JDK client offers an h2c
        // upgrade on every new connection. Hosted https endpoints still negotiate HTTP/2 through ALPN.
        java.net.http.HttpClient.Version version = "http".equals(config.baseUrl().getScheme())
                ? java.net.http.HttpClient.Version.HTTP_1_1 : java.net.http.HttpClient.Version.HTTP_2;
        return StreamCloseWatch.watching(RetryAfterCapture.watching(JdkHttpClient.builder()
                .httpClientBuilder(RetryAfterCapture.capturing(java.net.http.HttpClient.newBuilder().version(version)
                        .executor(HTTP_TASKS)))
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.requestTimeout())));
    }

    /**
     * Translates a request this expert supports into the langchain4j request for its models.
     *
     * @throws dev.coe.gateway.NonRetriableExpertException if a value cannot be sent (for example a seed out of range)
     */
    protected abstract ChatRequest toChatRequest(ExpertRequest request);

    protected final ExpertErrorMapper errors() {
        return errors;
    }

    /** The seed as the 32-bit integer langchain4j sends, or null when not set. */
    protected final Integer intSeed(Long seed) {
        if (seed == null) {
            return null;
        }
        if (seed < Integer.MIN_VALUE || seed > Integer.MAX_VALUE) {
            throw errors.rejected("seed must fit in 32 bits for provider " + config.provider().configName()
                    + ", but was " + seed);
        }
        return seed.intValue();
    }

    @Override
    public final ExpertId id() {
        return config.id();
    }

    @Override
    public final ExpertConfig config() {
        return config;
    }

    @Override
    public final Set<Feature> supportedFeatures() {
        return supportedFeatures;
    }

    @Override
    public final ChatResponse chat(ExpertRequest request) {
        try {
            return chatModel.chat(prepare(request));
        } catch (RuntimeException e) {
            throw errors.map(e);
        }
    }

    @Override
    public final void stream(ExpertRequest request, StreamingChatResponseHandler handler) {
        GuardedStreamingHandler guarded = new GuardedStreamingHandler(handler, errors);
        try {
            ChatRequest chatRequest = prepare(request);
            StreamCloseWatch.run(guarded, () -> streamingModel.chat(chatRequest, guarded));
        } catch (RuntimeException e) {
            // The contract promises callbacks on another thread, also for a request refused before sending.
            CompletableFuture.runAsync(() -> guarded.onError(e));
        }
    }

    @Override
    public final ExpertHealth checkHealth() {
        return healthProbe.check();
    }

    private ChatRequest prepare(ExpertRequest request) {
        Set<Feature> unsupported = EnumSet.noneOf(Feature.class);
        unsupported.addAll(request.features());
        unsupported.removeAll(supportedFeatures);
        if (!unsupported.isEmpty()) {
            throw errors.rejected("provider " + config.provider().configName() + " does not support the request option(s) "
                    + unsupported.stream().map(f -> f.name().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", ")));
        }
        return toChatRequest(request);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{id=" + config.id() + ", model=" + config.model()
                + ", baseUrl=" + config.baseUrl() + "}";
    }
}
