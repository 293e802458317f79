package dev.coe.gateway.cache;

import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertRequest;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds the canonical tree of a request to an expert, which {@link CacheKey} hashes. Every field of
 * {@link ExpertRequest} that can change the answer appears under its own name, null when not set, so that
 * "not set" and every value differ. Stateless and thread-safe.
 */
final class CanonicalRequest {

    private CanonicalRequest() {
    }

    static Map<String, Object> of(ExpertConfig expert, ExpertRequest request) {
        Map<String, Object> root = new TreeMap<>();
        root.put("expert", expert(expert));
        root.put("messages", list(request.messages(), CanonicalRequest::message));
        root.put("options", options(request));
        return root;
    }

    private static Map<String, Object> expert(ExpertConfig expert) {
        Map<String, Object> out = new TreeMap<>();
        out.put("id", expert.id().value());
        out.put("provider", expert.provider().configName());
        // Another server under the same expert id may run another build or quantisation of the model.
        out.put("baseUrl", expert.baseUrl() == null ? null : expert.baseUrl().toString());
        out.put("model", expert.model());
        return out;
    }

    /** Every option but {@code user}, which does not change the answer (see {@link CacheKey}). */
    private static Map<String, Object> options(ExpertRequest r) {
        Map<String, Object> out = new TreeMap<>();
        out.put("temperature", r.temperature());
        out.put("topP", r.topP());
        out.put("maxTokens", r.maxTokens());
        out.put("stop", r.stop());
        out.put("seed", r.seed());
        out.put("frequencyPenalty", r.frequencyPenalty());
        out.put("presencePenalty", r.presencePenalty());
        out.put("tools", list(r.tools(), CanonicalRequest::tool));
        out.put("toolChoice", r.toolChoice() == null ? null : r.toolChoice().name());
        out.put("toolChoiceFunction", r.toolChoiceFunction());
        out.put("parallelToolCalls", r.parallelToolCalls());
        out.put("responseFormat", responseFormat(r.responseFormat()));
        return out;
    }

    private static Map<String, Object> message(ChatMessage message) {
        Map<String, Object> out = new TreeMap<>();
        // The role is written explicitly: the same text from another role is another conversation.
        out.put("role", message.type().name());
        switch (message) {
            case SystemMessage m -> out.put("text", m.text());
            case UserMessage m -> {
                out.put("name", m.name());
                out.put("contents", list(m.contents(), CanonicalRequest::content));
            }
            case AiMessage m -> {
                out.put("text", m.text());
                out.put("thinking", m.thinking());
                out.put("toolCalls", list(m.toolExecutionRequests(), CanonicalRequest::toolCall));
            }
            case ToolExecutionResultMessage m -> {
                out.put("id", m.id());
                out.put("toolName", m.toolName());
                out.put("contents", m.contents() == null ? m.text() : list(m.contents(), CanonicalRequest::content));
                out.put("isError", m.isError());
            }
            case CustomMessage m -> out.put("attributes", CanonicalJson.canonical(m.attributes()));
            default -> out.put("value", message.toString());
        }
        return out;
    }

    private static Object content(Content content) {
        Map<String, Object> out = new TreeMap<>();
        out.put("type", content.type().name());
        // The router accepts text only; other kinds are described by their toString, which names every field.
        out.put("value", content instanceof TextContent text ? text.text() : content.toString());
        return out;
    }

    private static Map<String, Object> toolCall(ToolExecutionRequest call) {
        Map<String, Object> out = new TreeMap<>();
        out.put("id", call.id());
        out.put("name", call.name());
        // A model writes arguments in whatever key order; the client replays them as a string.
        out.put("arguments", CanonicalJson.parsedOrRaw(call.arguments()));
        return out;
    }

    private static Map<String, Object> tool(ToolSpecification tool) {
        Map<String, Object> out = new TreeMap<>();
        out.put("name", tool.name());
        out.put("description", tool.description());
        out.put("parameters", tool.parameters() == null ? null : schema(tool.parameters()));
        out.put("strict", tool.strict());
        out.put("metadata", CanonicalJson.canonical(tool.metadata()));
        return out;
    }

    private static Map<String, Object> responseFormat(ResponseFormat format) {
        // Plain text is what an expert answers when no format is given, so "text" and "not set" are one key.
        if (format == null || (format.type() == ResponseFormatType.TEXT && format.jsonSchema() == null)) {
            return null;
        }
        Map<String, Object> out = new TreeMap<>();
        out.put("type", format.type().name());
        if (format.jsonSchema() != null) {
            out.put("schemaName", format.jsonSchema().name());
            out.put("schema", schema(format.jsonSchema().rootElement()));
        }
        return out;
    }

    /**
     * A schema element as a canonical tree. Object schemas are walked here, because their properties and
     * definitions may be raw schemas of any JSON shape; other elements go through langchain4j's own mapping
     * (the one the providers send), falling back to their {@code toString} for an element it does not know.
     */
    private static Object schema(JsonSchemaElement element) {
        return switch (element) {
            case null -> null;
            case JsonRawSchema raw -> CanonicalJson.parsedOrRaw(raw.schema());
            case JsonObjectSchema object -> objectSchema(object);
            default -> {
                try {
                    yield CanonicalJson.canonical(JsonSchemaElementUtils.toMap(element));
                } catch (RuntimeException e) {
                    yield element.getClass().getName() + ":" + element;
                }
            }
        };
    }

    private static Map<String, Object> objectSchema(JsonObjectSchema schema) {
        Map<String, Object> out = new TreeMap<>();
        out.put("type", "object");
        out.put("description", schema.description());
        // Null and empty are sent alike (or not at all), so they are written alike.
        out.put("properties", schemas(schema.properties()));
        out.put("required", schema.required() == null ? List.of() : schema.required());
        out.put("additionalProperties", schema.additionalProperties());
        out.put("$defs", schemas(schema.definitions()));
        return out;
    }

    private static Map<String, Object> schemas(Map<String, JsonSchemaElement> elements) {
        Map<String, Object> out = new TreeMap<>();
        if (elements != null) {
            elements.forEach((name, element) -> out.put(name, schema(element)));
        }
        return out;
    }

    private static <T> List<Object> list(List<T> items, Function<T, Object> mapper) {
        List<Object> out = new ArrayList<>(items == null ? 0 : items.size());
        if (items != null) {
            items.forEach(item -> out.add(mapper.apply(item)));
        }
        return out;
    }
}
