package dev.coe.it;

import dev.coe.gateway.stub.AnthropicStubServer;
import dev.coe.gateway.stub.OllamaStubServer;
import dev.coe.gateway.stub.OpenAiStubServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * One router for the whole integration-test run, in front of one wire-faithful stub per provider
 * protocol, plus an expert whose port is closed and one that answers too slowly. Started once, on
 * first use (the classifier's model takes seconds to load); tests reset the stubs, never the router.
 * <pre>
 *   coder        -> OpenAI-compatible stub     categories coding, extraction (cache: always), stem, humanities
 *   mathematician-> Ollama stub                category math
 *   writer       -> Anthropic stub (key from env COE_IT_ANTHROPIC_KEY)   categories writing, roleplay (cache: off)
 *   dead         -> nothing listening          first on the reasoning chain, then coder
 *   slow         -> second OpenAI stub, 1 s request timeout
 * </pre>
 */
final class StubbedRouter {

    static final OpenAiStubServer OPENAI = new OpenAiStubServer();
    static final OllamaStubServer OLLAMA = new OllamaStubServer();
    static final AnthropicStubServer ANTHROPIC = new AnthropicStubServer();
    static final OpenAiStubServer SLOW = new OpenAiStubServer();
    static final int DEAD_PORT = freePort();

    /** Smaller than the default so the 413 test needs no large upload. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;

    /** Short, so that a stub's slow drip gets keep-alive comments between its chunks. */
    static final Duration STREAM_KEEP_ALIVE = Duration.ofMillis(150);

    static final RouterUnderTest ROUTER = RouterUnderTest.start(experts(), routing(),
            "coe.max-request-size=" + MAX_REQUEST_BYTES + "B", "coe.health-check-interval=1h",
            "coe.stream-keep-alive=" + STREAM_KEEP_ALIVE.toMillis() + "ms");

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ROUTER.close();
            OPENAI.close();
            OLLAMA.close();
            ANTHROPIC.close();
            SLOW.close();
        }));
    }

    private StubbedRouter() {
    }

    static void resetStubs() {
        OPENAI.reset();
        OLLAMA.reset();
        ANTHROPIC.reset();
        SLOW.reset();
    }

    static String experts() {
        return """
                experts:
                  - id: coder
                    provider: openai
                    base-url: %s
                    model: stub-gpt
                  - id: mathematician
                    provider: ollama
                    base-url: %s
                    model: stub-llama
                  - id: writer
                    provider: anthropic
                    base-url: %s
                    model: stub-claude
                    api-key-env: COE_IT_ANTHROPIC_KEY
                  - id: dead
                    provider: openai
                    base-url: http://127.0.0.1:%d/v1
                    model: nothing
                  - id: slow
                    provider: openai
                    base-url: %s
                    model: stub-slow
                    request-timeout: 1s
                """.formatted(OPENAI.baseUrl(), OLLAMA.baseUrl(), ANTHROPIC.baseUrl(), DEAD_PORT, SLOW.baseUrl());
    }

    static String routing() {
        return """
                router-models: [auto, coe-router]
                fallback-chain: [coder]
                default-threshold: 0.0
                rules:
                  - {category: coding,     chain: [coder]}
                  - {category: extraction, chain: [coder], cache: always}
                  - {category: stem,       chain: [coder]}
                  - {category: humanities, chain: [coder]}
                  - {category: math,       chain: [mathematician, coder]}
                  - {category: writing,    chain: [writer, coder]}
                  - {category: roleplay,   chain: [writer, coder], cache: off}
                  - {category: reasoning,  chain: [dead, coder]}
                """;
    }

    /** A port nothing listens on: taken from the OS, then released. */
    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
