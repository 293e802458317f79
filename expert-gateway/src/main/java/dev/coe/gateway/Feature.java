package dev.coe.gateway;

/**
 * A request option that not every provider can honour. A request that uses a feature its expert
 * lacks is refused rather than sent without it: the router never drops a parameter silently.
 * Each constant names the OpenAI request field it stands for.
 */
public enum Feature {
    TEMPERATURE("temperature"),
    TOP_P("top_p"),
    MAX_TOKENS("max_tokens"),
    STOP("stop"),
    SEED("seed"),
    USER("user"),
    FREQUENCY_PENALTY("frequency_penalty"),
    PRESENCE_PENALTY("presence_penalty"),
    TOOLS("tools"),
    /** {@code tool_choice} of {@code "required"} or naming one function. */
    TOOL_CHOICE("tool_choice"),
    PARALLEL_TOOL_CALLS("parallel_tool_calls"),
    RESPONSE_FORMAT_JSON_OBJECT("response_format"),
    RESPONSE_FORMAT_JSON_SCHEMA("response_format"),
    /**
     * An assistant tool call in the conversation whose {@code arguments} are not a JSON object. Models sometimes write
     * such arguments and clients send them back as they were, which OpenAI-compatible servers accept; providers that
     * carry arguments as an object (Anthropic's {@code input}, Ollama's {@code arguments}) cannot, and would be sent a
     * malformed request.
     */
    FREE_FORM_TOOL_ARGUMENTS("messages[].tool_calls[].function.arguments");

    private final String openAiField;

    Feature(String openAiField) {
        this.openAiField = openAiField;
    }

    /** The OpenAI request field that carries this feature, used in error messages. */
    public String openAiField() {
        return openAiField;
    }
}
