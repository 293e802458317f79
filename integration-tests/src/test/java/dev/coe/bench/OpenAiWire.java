package dev.coe.bench;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The parts of OpenAI's Chat Completions wire format that {@link SimulatedExpertServer} reads and writes:
 * the request's messages, {@code max_tokens}, {@code stream} and {@code stream_options}; the answer as one
 * {@code chat.completion} object or as {@code chat.completion.chunk} events; errors in OpenAI's shape.
 * Stateless and thread-safe.
 */
final class OpenAiWire {

    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] DONE_EVENT = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_PREFIX = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private OpenAiWire() {
    }

    /** What the simulated expert needs from a request body; everything else in it is ignored. */
    /** @param user the request's {@code user} field, or null; the benchmark tags requests with it ({@link ExpertTimes}) */
    record Request(String model, List<ChatMessage> messages, Integer maxTokens, Double temperature, boolean stream,
                   boolean includeUsage, String user) {
    }

    /** The request's problem, answered as a 400 in OpenAI's error shape. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    /**
     * @throws BadRequest when the body is not JSON or has no message with text
     */
    static Request parseRequest(byte[] body) throws BadRequest {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new BadRequest("The body is not valid JSON: " + (e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new BadRequest("The body must be a JSON object");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode m : root.path("messages")) {
            String text = text(m.path("content"));
            if (text.isEmpty()) {
                continue;
            }
            // Roles the simulation does not care about (tool, developer) count as user text.
            messages.add(switch (m.path("role").asText("user")) {
                case "system" -> SystemMessage.from(text);
                case "assistant" -> AiMessage.from(text);
                default -> UserMessage.from(text);
            });
        }
        if (messages.isEmpty()) {
            throw new BadRequest("'messages' must contain at least one message with text");
        }
        JsonNode maxTokens = root.hasNonNull("max_completion_tokens") ? root.get("max_completion_tokens") : root.get("max_tokens");
        return new Request(root.path("model").asText(""), messages,
                maxTokens != null && maxTokens.canConvertToInt() ? maxTokens.intValue() : null,
                root.hasNonNull("temperature") ? root.get("temperature").doubleValue() : null,
                root.path("stream").asBoolean(false),
                root.path("stream_options").path("include_usage").asBoolean(false),
                root.path("user").isTextual() ? root.get("user").textValue() : null);
    }

    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.textValue();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText())) {
                text.append(part.path("text").asText(""));
            }
        }
        return text.toString();
    }

    static String newId() {
        return "chatcmpl-sim-" + UUID.randomUUID().toString().replace("-", "");
    }

    static byte[] completion(String id, long created, String model, String content, FinishReason finish, TokenUsage usage) {
        ObjectNode root = header(id, "chat.completion", created, model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", content);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(finish));
        root.set("usage", usage(usage));
        return bytes(root);
    }

    /** A chunk carrying a delta; {@code role} and {@code content} are omitted when null, as OpenAI does. */
    static byte[] deltaChunk(String id, long created, String model, String role, String content, boolean withUsageField) {
        ObjectNode root = header(id, "chat.completion.chunk", created, model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (role != null) delta.put("role", role);
        if (content != null) delta.put("content", content);
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        if (withUsageField) root.putNull("usage");
        return bytes(root);
    }

    static byte[] finishChunk(String id, long created, String model, FinishReason finish, boolean withUsageField) {
        ObjectNode root = header(id, "chat.completion.chunk", created, model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(finish));
        if (withUsageField) root.putNull("usage");
        return bytes(root);
    }

    /** The last chunk before {@code [DONE]} when the client asked for {@code stream_options.include_usage}. */
    static byte[] usageChunk(String id, long created, String model, TokenUsage usage) {
        ObjectNode root = header(id, "chat.completion.chunk", created, model);
        root.putArray("choices");
        root.set("usage", usage(usage));
        return bytes(root);
    }

    static byte[] error(String type, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        error.putNull("code");
        return bytes(root);
    }

    static byte[] modelList(String model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        data.addObject().put("id", model).put("object", "model").put("created", 0).put("owned_by", "coe-bench");
        return bytes(root);
    }

    /** Writes one server-sent event and flushes it, so each chunk leaves at once as a real engine's would. */
    static void writeEvent(OutputStream out, byte[] json) throws IOException {
        out.write(DATA_PREFIX);
        out.write(json);
        out.write(EVENT_END);
        out.flush();
    }

    /** Answers with an OpenAI error object and closes the exchange. */
    static void sendError(HttpExchange exchange, int status, String type, String message) throws IOException {
        try (exchange) {
            byte[] body = error(type, message);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static ObjectNode header(String id, String object, long created, String model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        return root;
    }

    private static ObjectNode usage(TokenUsage usage) {
        int prompt = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
        int completion = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
        return JSON.createObjectNode()
                .put("prompt_tokens", prompt)
                .put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    private static String finishReason(FinishReason finish) {
        if (finish == null) {
            return "stop";
        }
        return switch (finish) {
            case LENGTH -> "length";
            case TOOL_EXECUTION -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            default -> "stop";
        };
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen: a tree of plain values always serializes", e);
        }
    }
}
