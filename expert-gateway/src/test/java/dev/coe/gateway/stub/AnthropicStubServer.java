package dev.coe.gateway.stub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.langchain4j.model.output.FinishReason;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stub of Anthropic's Messages API. Base URL {@code http://127.0.0.1:<port>/v1} (langchain4j-anthropic appends
 * {@code /messages} to it, as to {@code https://api.anthropic.com/v1}). Thread-safe.
 * <ul>
 *   <li>every request must carry {@code x-api-key} equal to the stub's key ({@link #DEFAULT_API_KEY} unless given)
 *       and an {@code anthropic-version} header; otherwise 401 {@code authentication_error} or 400
 *       {@code invalid_request_error}, in Anthropic's error shape;</li>
 *   <li>{@code POST /v1/messages}: a {@code message} object with {@code content} blocks ({@code text} or
 *       {@code tool_use}), {@code stop_reason} and {@code usage}; with {@code "stream": true} named server-sent
 *       events: {@code message_start}, {@code content_block_start}, {@code ping}, {@code content_block_delta}
 *       ({@code text_delta} per word, or {@code input_json_delta} pieces), {@code content_block_stop},
 *       {@code message_delta} (stop reason and output tokens) and {@code message_stop};</li>
 *   <li>{@code GET /v1/models}: a model list with {@link #MODEL};</li>
 *   <li>errors as {@code {"type": "error", "error": {"type", "message"}}}.</li>
 * </ul>
 */
public final class AnthropicStubServer extends StubExpertServer {

    /** The key a stub built without one expects in {@code x-api-key}. */
    public static final String DEFAULT_API_KEY = "stub-anthropic-key";

    /** The model named by {@code GET /v1/models}; answers echo the model of the request. */
    public static final String MODEL = "stub-claude";

    public AnthropicStubServer() {
        this(DEFAULT_API_KEY);
    }

    /** A stub that accepts only {@code apiKey}. */
    public AnthropicStubServer(String apiKey) {
        super(apiKey);
    }

    @Override
    public String baseUrl() {
        return rootUrl() + "/v1";
    }

    @Override
    String protocolName() {
        return "Anthropic";
    }

    @Override
    boolean isChat(RecordedRequest request) {
        return request.method().equals("POST") && request.path().equals("/v1/messages");
    }

    @Override
    Refusal refusal(RecordedRequest request, String requiredApiKey) {
        if (requiredApiKey != null && !requiredApiKey.equals(request.header("x-api-key"))) {
            return new Refusal(401, "invalid x-api-key");
        }
        if (request.header("anthropic-version") == null) {
            return new Refusal(400, "anthropic-version: header is required");
        }
        return null;
    }

    @Override
    void serveOther(RecordedRequest request, HttpExchange exchange) throws IOException {
        if (request.method().equals("GET") && request.path().equals("/v1/models")) {
            ObjectNode list = StubJson.object();
            list.putArray("data").addObject().put("type", "model").put("id", MODEL).put("display_name", "Stub Claude")
                    .put("created_at", "2025-01-01T00:00:00Z");
            list.put("has_more", false).put("first_id", MODEL).put("last_id", MODEL);
            sendJson(exchange, 200, StubJson.write(list), Map.of());
        } else {
            sendJson(exchange, 404, errorBody(404, "Not found: " + request.path()), Map.of());
        }
    }

    @Override
    String renderCompletion(RecordedRequest request, StubReply reply, Usage usage, String id) {
        ObjectNode message = message(request, id);
        ObjectNode block = message.putArray("content").addObject();
        if (reply.kind() == StubReply.Kind.TOOL_CALL) {
            block.put("type", "tool_use").put("id", "toolu_stub_" + id).put("name", reply.toolName())
                    .set("input", StubJson.parseArguments(reply.toolArguments()));
        } else {
            block.put("type", "text").put("text", reply.text());
        }
        message.put("stop_reason", stopReason(reply.finishReason())).putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", usage.promptTokens()).put("output_tokens", usage.completionTokens());
        return StubJson.write(message);
    }

    @Override
    List<String> renderStream(RecordedRequest request, StubReply reply, Usage usage, String id) {
        List<String> events = new ArrayList<>();
        ObjectNode start = message(request, id);
        start.putArray("content");
        start.putNull("stop_reason").putNull("stop_sequence");
        start.putObject("usage").put("input_tokens", usage.promptTokens()).put("output_tokens", 1);
        events.add(event("message_start", StubJson.object().set("message", start)));

        boolean toolCall = reply.kind() == StubReply.Kind.TOOL_CALL;
        ObjectNode block = toolCall
                ? StubJson.object().put("type", "tool_use").put("id", "toolu_stub_" + id).put("name", reply.toolName())
                : StubJson.object().put("type", "text").put("text", "");
        if (toolCall) {
            block.putObject("input");
        }
        events.add(event("content_block_start", StubJson.object().put("index", 0).set("content_block", block)));
        events.add(event("ping", StubJson.object()));
        for (String piece : toolCall ? StubText.argumentPieces(reply.toolArguments()) : StubText.pieces(reply.text())) {
            ObjectNode delta = toolCall
                    ? StubJson.object().put("type", "input_json_delta").put("partial_json", piece)
                    : StubJson.object().put("type", "text_delta").put("text", piece);
            events.add(event("content_block_delta", StubJson.object().put("index", 0).set("delta", delta)));
        }
        events.add(event("content_block_stop", StubJson.object().put("index", 0)));

        ObjectNode messageDelta = StubJson.object();
        messageDelta.putObject("delta").put("stop_reason", stopReason(reply.finishReason())).putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", usage.completionTokens());
        events.add(event("message_delta", messageDelta));
        events.add(event("message_stop", StubJson.object()));
        return events;
    }

    @Override
    String streamContentType() {
        return "text/event-stream; charset=utf-8";
    }

    @Override
    String errorBody(int status, String message) {
        String type = switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
        ObjectNode error = StubJson.object().put("type", "error");
        error.putObject("error").put("type", type).put("message", message);
        return StubJson.write(error);
    }

    private static ObjectNode message(RecordedRequest request, String id) {
        return StubJson.object().put("id", "msg_stub_" + id).put("type", "message").put("role", "assistant")
                .put("model", request.json().path("model").asText(MODEL));
    }

    /** An event named like its {@code type}, which Anthropic repeats inside the data. */
    private static String event(String type, ObjectNode data) {
        ObjectNode typed = StubJson.object().put("type", type);
        typed.setAll(data);
        return StubJson.sse(type, typed);
    }

    private static String stopReason(FinishReason reason) {
        return switch (reason) {
            case LENGTH -> "max_tokens";
            case TOOL_EXECUTION -> "tool_use";
            default -> "end_turn";
        };
    }
}
