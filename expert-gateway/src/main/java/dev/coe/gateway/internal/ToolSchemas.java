package dev.coe.gateway.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.internal.JsonSchemaElementUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tool definitions exactly as the client wrote them. langchain4j's provider mappings rebuild a tool's
 * parameter schema from its typed {@link JsonObjectSchema} and drop keywords at the schema root
 * ({@code additionalProperties}, {@code description}, {@code $defs}). This class writes the whole schema
 * for providers whose wire format can take it as is, and names what would be lost for the others, so
 * that such a request is refused rather than sent without it. Stateless and thread-safe.
 */
public final class ToolSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ToolSchemas() {
    }

    /** OpenAI's {@code tools} array for these tools, every keyword included. */
    public static List<Map<String, Object>> openAiTools(List<ToolSpecification> tools) {
        List<Map<String, Object>> wire = new ArrayList<>(tools.size());
        for (ToolSpecification tool : tools) {
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", tool.name());
            if (tool.description() != null) {
                function.put("description", tool.description());
            }
            function.put("parameters", parameters(tool.parameters()));
            if (tool.strict() != null) {
                function.put("strict", tool.strict());
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", "function");
            entry.put("function", function);
            wire.add(entry);
        }
        return wire;
    }

    /**
     * The first root keyword of a tool schema that langchain4j's typed mapping for the other providers
     * does not send, as {@code "tool 'x': keyword"}; empty when every keyword is carried.
     */
    public static Optional<String> firstRootKeywordLost(List<ToolSpecification> tools) {
        for (ToolSpecification tool : tools) {
            JsonObjectSchema p = tool.parameters();
            if (p == null) {
                continue;
            }
            if (p.additionalProperties() != null) {
                return Optional.of("tool '" + tool.name() + "': JSON Schema keyword 'additionalProperties' at the root of its parameters");
            }
            if (p.description() != null) {
                return Optional.of("tool '" + tool.name() + "': JSON Schema keyword 'description' at the root of its parameters");
            }
            if (p.definitions() != null && !p.definitions().isEmpty()) {
                return Optional.of("tool '" + tool.name() + "': JSON Schema keyword '$defs' at the root of its parameters");
            }
        }
        return Optional.empty();
    }

    private static Map<String, Object> parameters(JsonObjectSchema schema) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("type", "object");
        if (schema == null) {
            root.put("properties", Map.of());
            return root;
        }
        if (schema.description() != null) {
            root.put("description", schema.description());
        }
        root.put("properties", elements(schema.properties()));
        if (schema.required() != null && !schema.required().isEmpty()) {
            root.put("required", schema.required());
        }
        if (schema.additionalProperties() != null) {
            root.put("additionalProperties", schema.additionalProperties());
        }
        if (schema.definitions() != null && !schema.definitions().isEmpty()) {
            root.put("$defs", elements(schema.definitions()));
        }
        return root;
    }

    private static Map<String, Object> elements(Map<String, JsonSchemaElement> elements) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (elements != null) {
            elements.forEach((name, element) -> out.put(name, element(element)));
        }
        return out;
    }

    private static Object element(JsonSchemaElement element) {
        if (element instanceof JsonRawSchema raw) {
            try {
                return JSON.readValue(raw.schema(), Object.class);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("tool schema is not valid JSON: " + raw.schema(), e);
            }
        }
        return JsonSchemaElementUtils.toMap(element);
    }
}
