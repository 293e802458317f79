package dev.coe.gateway.internal;

import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertFactory;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.stub.AnthropicStubServer;
import dev.coe.gateway.stub.OllamaStubServer;
import dev.coe.gateway.stub.OpenAiStubServer;
import dev.coe.gateway.stub.StubExpertServer;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** The three providers with their stub servers, for tests that run one scenario against each real expert. */
enum StubProvider {

    OPENAI(ProviderKind.OPENAI_COMPATIBLE, OpenAiStubServer::new),
    OLLAMA(ProviderKind.OLLAMA, OllamaStubServer::new),
    ANTHROPIC(ProviderKind.ANTHROPIC, AnthropicStubServer::new);

    private static final String KEY_VARIABLE = "STUB_KEY";

    private final ProviderKind kind;
    private final Supplier<StubExpertServer> stub;

    StubProvider(ProviderKind kind, Supplier<StubExpertServer> stub) {
        this.kind = kind;
        this.stub = stub;
    }

    StubExpertServer startStub() {
        return stub.get();
    }

    /** An expert on {@code stub} with a 1 s connect timeout and the default request timeout, then {@code adjust}. */
    Expert expert(StubExpertServer stub, UnaryOperator<ExpertConfig.Builder> adjust) {
        ExpertConfig.Builder config = ExpertConfig.builder(name().toLowerCase(java.util.Locale.ROOT) + "-stub")
                .provider(kind).baseUrl(stub.baseUrl()).model("stub-model").connectTimeout(Duration.ofSeconds(1));
        if (this == ANTHROPIC) {
            config.apiKeyEnv(KEY_VARIABLE);
        }
        return ExpertFactory.of(Map.of(KEY_VARIABLE, AnthropicStubServer.DEFAULT_API_KEY)::get)
                .create(adjust.apply(config).build());
    }

    Expert expert(StubExpertServer stub) {
        return expert(stub, UnaryOperator.identity());
    }
}
