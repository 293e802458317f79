package dev.coe.router.chat;

import dev.coe.router.system.ApiException;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a client's JSON Schema (tool parameters, {@code response_format.json_schema.schema}) into
 * langchain4j's schema model without losing anything: each property, and each definition, travels
 * as raw JSON. Keywords at the top level that langchain4j cannot carry are refused, not dropped.
 */
final class JsonSchemas {

    private static final Set<String> OBJECT_KEYWORDS =
            Set.of("type", "properties", "required", "additionalProperties", "description", "$defs", "definitions", "title");

    private JsonSchemas() {
    }

    static JsonObjectSchema objectSchema(JsonNode schema, String param) {
        if (schema == null || schema.isNull()) {
            return JsonObjectSchema.builder().build();
        }
        if (!schema.isObject()) {
            throw ApiException.invalidRequest(param, "'" + param + "' must be a JSON Schema object");
        }
        JsonNode type = schema.get("type");
        if (type != null && !(type.isString() && type.stringValue().equals("object"))) {
            throw ApiException.unsupportedParameter(param + ".type",
                    "'" + param + "' must be a schema of type \"object\"");
        }
        for (String keyword : schema.propertyNames()) {
            if (!OBJECT_KEYWORDS.contains(keyword)) {
                throw ApiException.unsupportedParameter(param + "." + keyword,
                        "JSON Schema keyword '" + keyword + "' at the top of '" + param + "' is not supported by this router");
            }
        }
        JsonObjectSchema.Builder b = JsonObjectSchema.builder();
        JsonNode description = schema.get("description");
        if (description != null && !description.isNull()) {
            if (!description.isString()) {
                throw ApiException.invalidRequest(param + ".description", "'" + param + ".description' must be a string");
            }
            b.description(description.stringValue());
        }
        JsonNode properties = schema.get("properties");
        if (properties != null) {
            if (!properties.isObject()) {
                throw ApiException.invalidRequest(param + ".properties", "'" + param + ".properties' must be an object");
            }
            Map<String, JsonSchemaElement> props = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> p : properties.properties()) {
                props.put(p.getKey(), JsonRawSchema.from(p.getValue().toString()));
            }
            b.addProperties(props);
        }
        JsonNode required = schema.get("required");
        if (required != null) {
            if (!required.isArray() || !required.valueStream().allMatch(JsonNode::isString)) {
                throw ApiException.invalidRequest(param + ".required", "'" + param + ".required' must be an array of strings");
            }
            List<String> names = new ArrayList<>();
            required.forEach(n -> names.add(n.stringValue()));
            b.required(names);
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null) {
            if (!additional.isBoolean()) {
                throw ApiException.unsupportedParameter(param + ".additionalProperties",
                        "only true or false is supported for '" + param + ".additionalProperties'");
            }
            b.additionalProperties(additional.booleanValue());
        }
        JsonNode defs = schema.has("$defs") ? schema.get("$defs") : schema.get("definitions");
        if (defs != null && defs.isObject()) {
            Map<String, JsonSchemaElement> definitions = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> d : defs.properties()) {
                definitions.put(d.getKey(), JsonRawSchema.from(d.getValue().toString()));
            }
            b.definitions(definitions);
        }
        return b.build();
    }
}
