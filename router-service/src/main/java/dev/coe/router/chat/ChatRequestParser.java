package dev.coe.router.chat;

import dev.coe.classifier.Turn;
import dev.coe.gateway.ExpertRequest;
import dev.coe.router.system.ApiException;
import dev.coe.router.system.JsonSyntaxErrors;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a {@code POST /v1/chat/completions} body field by field and turns it into a
 * {@link ChatCompletionRequest}. Every rejection names the parameter, in OpenAI's wording where
 * OpenAI has one. A field the router cannot honour is refused with 400, never silently dropped.
 * Thread-safe.
 */
final class ChatRequestParser {

    /** Fields the router understands and passes on. */
    private static final Set<String> SUPPORTED = Set.of("model", "messages", "stream", "stream_options", "temperature",
            "top_p", "max_tokens", "max_completion_tokens", "stop", "seed", "n", "user", "tools", "tool_choice",
            "parallel_tool_calls", "response_format", "frequency_penalty", "presence_penalty");

    /**
     * OpenAI fields the router knows but cannot honour; accepted only with a value that changes nothing (as JSON).
     * A service tier of {@code auto} or {@code default} asks for the standard one, which is all the router has.
     */
    private static final Map<String, Set<String>> NEUTRAL = Map.of(
            "logprobs", Set.of("false"), "store", Set.of("false"), "top_logprobs", Set.of("0"),
            "service_tier", Set.of("\"auto\"", "\"default\""), "metadata", Set.of("{}"));

    /**
     * Chat Completions fields of OpenAI's API that the router cannot honour with any value (those of {@link #NEUTRAL}
     * aside): refused as unsupported rather than as unrecognised, so that a client sees the router's limit and not a
     * typo of its own.
     */
    private static final Set<String> UNSUPPORTED = Set.of("logit_bias", "functions", "function_call", "audio",
            "modalities", "prediction", "reasoning_effort", "verbosity", "web_search_options", "prompt_cache_key",
            "safety_identifier");

    private final JsonMapper json;
    private final MessageMapper messages = new MessageMapper();

    ChatRequestParser(JsonMapper json) {
        this.json = json;
    }

    ChatCompletionRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.invalidRequest(null, "We could not parse the JSON body of your request: "
                    + JsonSyntaxErrors.describe(e) + ". (The body must be valid JSON.)");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.invalidRequest(null, "The request body must be a JSON object.");
        }
        for (String field : root.propertyNames()) {
            if (SUPPORTED.contains(field) || root.get(field).isNull()) {
                continue;
            }
            Set<String> neutral = NEUTRAL.get(field);
            if (neutral != null && neutral.contains(root.get(field).toString())) {
                continue;
            }
            if (neutral != null || UNSUPPORTED.contains(field)) {
                throw ApiException.unsupportedParameter(field, "Parameter '" + field + "' is not supported by CoE Router.");
            }
            throw ApiException.invalidRequest(field, "Unrecognized request argument supplied: " + field);
        }
        String model = requiredString(root, "model");
        boolean stream = bool(root, "stream", false);
        boolean includeUsage = streamOptions(root, stream);
        int n = (int) integer(root, "n", 1, 1, Integer.MAX_VALUE);
        if (n != 1) {
            throw ApiException.unsupportedParameter("n", "Only n=1 is supported by CoE Router, but n was " + n + ".");
        }
        MessageMapper.Mapped mapped = messages.map(root.get("messages"));

        ExpertRequest.Builder b = ExpertRequest.builder(mapped.messages())
                .temperature(number(root, "temperature", 0, 2))
                .topP(number(root, "top_p", 0, 1))
                .maxTokens(maxTokens(root))
                .stop(stop(root))
                .seed(root.hasNonNull("seed") ? integer(root, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE) : null)
                .user(optionalString(root, "user"))
                .frequencyPenalty(number(root, "frequency_penalty", -2, 2))
                .presencePenalty(number(root, "presence_penalty", -2, 2))
                .parallelToolCalls(root.hasNonNull("parallel_tool_calls") ? bool(root, "parallel_tool_calls", true) : null)
                .responseFormat(responseFormat(root.get("response_format")));
        List<ToolSpecification> tools = tools(root.get("tools"));
        b.tools(tools);
        toolChoice(root.get("tool_choice"), tools, b);
        return new ChatCompletionRequest(model, stream, includeUsage, mapped.conversation(), b.build());
    }

    private static boolean streamOptions(JsonNode root, boolean stream) {
        JsonNode options = root.get("stream_options");
        if (options == null || options.isNull()) {
            return false;
        }
        if (!stream) {
            throw ApiException.invalidRequest("stream_options",
                    "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
        }
        if (!options.isObject()) {
            throw ApiException.invalidRequest("stream_options", "'stream_options' must be an object.");
        }
        for (String key : options.propertyNames()) {
            if (!key.equals("include_usage")) {
                throw ApiException.unsupportedParameter("stream_options." + key,
                        "Parameter 'stream_options." + key + "' is not supported by CoE Router.");
            }
        }
        return bool(options, "include_usage", false);
    }

    private static Integer maxTokens(JsonNode root) {
        Long maxTokens = root.hasNonNull("max_tokens") ? integer(root, "max_tokens", 0, 1, Integer.MAX_VALUE) : null;
        Long maxCompletion = root.hasNonNull("max_completion_tokens")
                ? integer(root, "max_completion_tokens", 0, 1, Integer.MAX_VALUE) : null;
        if (maxTokens != null && maxCompletion != null && !maxTokens.equals(maxCompletion)) {
            throw ApiException.invalidRequest("max_completion_tokens",
                    "Set either 'max_tokens' or 'max_completion_tokens', not two different values.");
        }
        Long value = maxCompletion != null ? maxCompletion : maxTokens;
        return value == null ? null : value.intValue();
    }

    private static List<String> stop(JsonNode root) {
        JsonNode stop = root.get("stop");
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isString()) {
            return List.of(stop.stringValue());
        }
        if (!stop.isArray() || stop.size() > 4) {
            throw ApiException.invalidRequest("stop", "'stop' must be a string or an array of at most 4 strings.");
        }
        List<String> sequences = new ArrayList<>();
        for (JsonNode s : stop) {
            if (!s.isString()) {
                throw ApiException.invalidRequest("stop", "'stop' must be a string or an array of at most 4 strings.");
            }
            sequences.add(s.stringValue());
        }
        return sequences;
    }

    private static ResponseFormat responseFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return null;
        }
        String type = format.isObject() && format.get("type") != null && format.get("type").isString()
                ? format.get("type").stringValue() : null;
        if (type == null) {
            throw ApiException.invalidRequest("response_format.type", "'response_format' must be an object with a 'type'.");
        }
        return switch (type) {
            case "text" -> null;
            case "json_object" -> ResponseFormat.JSON;
            case "json_schema" -> {
                JsonNode spec = format.get("json_schema");
                if (spec == null || !spec.isObject() || spec.get("name") == null || !spec.get("name").isString()) {
                    throw ApiException.invalidRequest("response_format.json_schema",
                            "'response_format.json_schema' must be an object with a 'name' and a 'schema'.");
                }
                JsonNode schema = spec.get("schema");
                if (schema == null || !schema.isObject()) {
                    throw ApiException.invalidRequest("response_format.json_schema.schema",
                            "'response_format.json_schema.schema' must be a JSON Schema object.");
                }
                // The whole schema travels as raw JSON: nothing the client wrote is lost on the way.
                yield ResponseFormat.builder().type(ResponseFormatType.JSON).jsonSchema(JsonSchema.builder()
                        .name(spec.get("name").stringValue())
                        .rootElement(JsonRawSchema.from(schema.toString()))
                        .build()).build();
            }
            default -> throw ApiException.invalidRequest("response_format.type",
                    "Invalid value for 'response_format.type': '" + type + "'. Supported: text, json_object, json_schema.");
        };
    }

    private static List<ToolSpecification> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw ApiException.invalidRequest("tools", "'tools' must be an array.");
        }
        List<ToolSpecification> specs = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            String param = "tools[" + i + "]";
            JsonNode tool = tools.get(i);
            if (!tool.isObject() || !"function".equals(tool.path("type").asString(""))) {
                throw ApiException.invalidRequest(param + ".type", "Only tools of type 'function' are supported.");
            }
            JsonNode fn = tool.get("function");
            if (fn == null || !fn.isObject() || !fn.hasNonNull("name") || !fn.get("name").isString()) {
                throw ApiException.invalidRequest(param + ".function.name", "'" + param + ".function.name' is required.");
            }
            ToolSpecification.Builder spec = ToolSpecification.builder()
                    .name(fn.get("name").stringValue())
                    .parameters(JsonSchemas.objectSchema(fn.get("parameters"), param + ".function.parameters"));
            if (fn.hasNonNull("description")) {
                if (!fn.get("description").isString()) {
                    throw ApiException.invalidRequest(param + ".function.description",
                            "'" + param + ".function.description' must be a string.");
                }
                spec.description(fn.get("description").stringValue());
            }
            if (fn.hasNonNull("strict")) {
                if (!fn.get("strict").isBoolean()) {
                    throw ApiException.invalidRequest(param + ".function.strict", "'" + param + ".function.strict' must be a boolean.");
                }
                spec.strict(fn.get("strict").booleanValue());
            }
            specs.add(spec.build());
        }
        return specs;
    }

    private static void toolChoice(JsonNode choice, List<ToolSpecification> tools, ExpertRequest.Builder b) {
        if (choice == null || choice.isNull()) {
            return;
        }
        if (choice.isString()) {
            switch (choice.stringValue()) {
                case "auto" -> b.toolChoice(ToolChoice.AUTO);
                case "none" -> b.toolChoice(ToolChoice.NONE);
                case "required" -> b.toolChoice(ToolChoice.REQUIRED);
                default -> throw ApiException.invalidRequest("tool_choice",
                        "Invalid value for 'tool_choice': '" + choice.stringValue() + "'. Supported: none, auto, required, or a function.");
            }
            return;
        }
        String name = choice.path("function").path("name").asString(null);
        if (!choice.isObject() || !"function".equals(choice.path("type").asString("")) || name == null) {
            throw ApiException.invalidRequest("tool_choice", "'tool_choice' must be a string or {\"type\":\"function\",\"function\":{\"name\":...}}.");
        }
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw ApiException.invalidRequest("tool_choice", "'tool_choice' names function '" + name + "', which is not in 'tools'.");
        }
        b.toolChoice(ToolChoice.REQUIRED).toolChoiceFunction(name);
    }

    static String requiredString(JsonNode node, String field) {
        return requiredString(node, field, field);
    }

    /**
     * A string field of a nested object; {@code param} is its full path ({@code messages[2].tool_call_id}), which
     * the error names as OpenAI does.
     */
    static String requiredString(JsonNode node, String field, String param) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.invalidRequest(param, "Missing required parameter: '" + param + "'.");
        }
        if (!value.isString()) {
            throw ApiException.invalidRequest(param, "Invalid type for '" + param + "': expected a string, but got " + kind(value) + ".");
        }
        return value.stringValue();
    }

    static String optionalString(JsonNode node, String field) {
        return optionalString(node, field, field);
    }

    static String optionalString(JsonNode node, String field, String param) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : requiredString(node, field, param);
    }

    static boolean bool(JsonNode node, String field, boolean absent) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isBoolean()) {
            throw ApiException.invalidRequest(field, "Invalid type for '" + field + "': expected a boolean, but got " + kind(value) + ".");
        }
        return value.booleanValue();
    }

    private static Double number(JsonNode node, String field, double min, double max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw ApiException.invalidRequest(field, "Invalid type for '" + field + "': expected a number, but got " + kind(value) + ".");
        }
        double d = value.doubleValue();
        if (!(d >= min && d <= max)) {
            throw ApiException.invalidRequest(field, "Invalid '" + field + "': " + d + " is outside [" + fmt(min) + ", " + fmt(max) + "].");
        }
        return d;
    }

    private static long integer(JsonNode node, String field, long absent, long min, long max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiException.invalidRequest(field, "Invalid type for '" + field + "': expected an integer, but got " + kind(value) + ".");
        }
        long l = value.longValue();
        if (l < min || l > max) {
            throw ApiException.invalidRequest(field, "Invalid '" + field + "': " + l + " is outside [" + min + ", " + max + "].");
        }
        return l;
    }

    static String kind(JsonNode value) {
        if (value.isString()) return "a string";
        if (value.isNumber()) return "a number";
        if (value.isBoolean()) return "a boolean";
        if (value.isArray()) return "an array";
        if (value.isObject()) return "an object";
        return "null";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
