package dev.coe.gateway.stub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON helpers of the stub servers: one shared Jackson mapper. Thread-safe. */
final class StubJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private StubJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Parses a JSON text, or returns null when it is empty or not JSON. */
    static JsonNode parseOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    /** Parses tool-call arguments, which must be a JSON object. */
    static JsonNode parseArguments(String argumentsJson) {
        JsonNode node = parseOrNull(argumentsJson);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("tool-call arguments must be a JSON object, but were: " + argumentsJson);
        }
        return node;
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SSE event with only a data line, as OpenAI sends them. */
    static String sse(JsonNode data) {
        return "data: " + write(data) + "\n\n";
    }

    /** An SSE event with a name and a data line, as Anthropic sends them. */
    static String sse(String event, JsonNode data) {
        return "event: " + event + "\ndata: " + write(data) + "\n\n";
    }
}
