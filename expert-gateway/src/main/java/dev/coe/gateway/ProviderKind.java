package dev.coe.gateway;

import java.util.Arrays;
import java.util.Locale;

/** The wire protocol an expert speaks. */
public enum ProviderKind {
    /** OpenAI Chat Completions: OpenAI itself, vLLM, SGLang, llama.cpp server, and other compatible servers. */
    OPENAI_COMPATIBLE("openai"),
    /** Ollama's native {@code /api/chat}. */
    OLLAMA("ollama"),
    /** Anthropic Messages API. */
    ANTHROPIC("anthropic"),
    /** An in-process simulated expert: a test double and demo aid, never a real model. */
    SIMULATED("simulated");

    private final String configName;

    ProviderKind(String configName) {
        this.configName = configName;
    }

    /** The name used for this provider in {@code config/experts.yaml}. */
    public String configName() {
        return configName;
    }

    public static ProviderKind fromConfigName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(kind -> kind.configName.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("provider must be one of "
                        + Arrays.stream(values()).map(ProviderKind::configName).toList() + ", but was '" + name + "'"));
    }
}
