package dev.coe.gateway.stub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.langchain4j.model.output.FinishReason;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stub of Ollama's native API. Base URL {@code http://127.0.0.1:<port>}. Thread-safe.
 * <ul>
 *   <li>{@code POST /api/chat}: one JSON object with {@code "done": true}, {@code done_reason},
 *       {@code prompt_eval_count} and {@code eval_count}; with {@code "stream": true} (Ollama's default) NDJSON:
 *       one object per line with {@code "done": false} and a piece of {@code message.content} (or the
 *       {@code tool_calls}, whose {@code arguments} is a JSON object, in one line), then a last line with
 *       {@code "done": true} and the counts;</li>
 *   <li>{@code GET /api/version} and {@code GET /api/tags} (the model list, with {@link #MODEL});</li>
 *   <li>errors as {@code {"error": "..."}}. No key is checked unless {@link #requireApiKey(String)} is set
 *       ({@code Authorization: Bearer <key>}, as a proxy in front of Ollama would).</li>
 * </ul>
 */
public final class OllamaStubServer extends StubExpertServer {

    /** The model named by {@code GET /api/tags}; answers echo the model of the request. */
    public static final String MODEL = "stub-model:latest";

    /** The version {@code GET /api/version} reports. */
    public static final String VERSION = "0.12.6";

    private static final String CREATED_AT = "2025-01-01T00:00:00.000000Z";
    private static final long NANOS_PER_TOKEN = 20_000_000L;

    public OllamaStubServer() {
        super(null);
    }

    @Override
    public String baseUrl() {
        return rootUrl();
    }

    @Override
    String protocolName() {
        return "Ollama";
    }

    @Override
    boolean isChat(RecordedRequest request) {
        return request.method().equals("POST") && request.path().equals("/api/chat");
    }

    @Override
    Refusal refusal(RecordedRequest request, String requiredApiKey) {
        return requiredApiKey == null || ("Bearer " + requiredApiKey).equals(request.header("Authorization"))
                ? null : new Refusal(401, "Incorrect API key provided.");
    }

    @Override
    void serveOther(RecordedRequest request, HttpExchange exchange) throws IOException {
        if (request.method().equals("GET") && request.path().equals("/api/version")) {
            sendJson(exchange, 200, StubJson.write(StubJson.object().put("version", VERSION)), Map.of());
        } else if (request.method().equals("GET") && request.path().equals("/api/tags")) {
            ObjectNode tags = StubJson.object();
            ObjectNode model = tags.putArray("models").addObject().put("name", MODEL).put("model", MODEL)
                    .put("modified_at", CREATED_AT).put("size", 1_000_000L).put("digest", "stubdigest");
            model.putObject("details").put("format", "gguf").put("family", "stub").put("parameter_size", "1B")
                    .put("quantization_level", "Q4_0");
            sendJson(exchange, 200, StubJson.write(tags), Map.of());
        } else {
            sendJson(exchange, 404, errorBody(404, "404 page not found"), Map.of());
        }
    }

    @Override
    String renderCompletion(RecordedRequest request, StubReply reply, Usage usage, String id) {
        ObjectNode answer = line(request, message(reply, id, reply.kind() == StubReply.Kind.TEXT ? reply.text() : ""));
        return StubJson.write(done(answer, reply, usage));
    }

    @Override
    List<String> renderStream(RecordedRequest request, StubReply reply, Usage usage, String id) {
        List<String> lines = new ArrayList<>();
        if (reply.kind() == StubReply.Kind.TOOL_CALL) {
            lines.add(StubJson.write(line(request, message(reply, id, "")).put("done", false)) + "\n");
        } else {
            for (String piece : StubText.pieces(reply.text())) {
                ObjectNode line = line(request, StubJson.object().put("role", "assistant").put("content", piece));
                lines.add(StubJson.write(line.put("done", false)) + "\n");
            }
        }
        ObjectNode last = line(request, StubJson.object().put("role", "assistant").put("content", ""));
        lines.add(StubJson.write(done(last, reply, usage)) + "\n");
        return lines;
    }

    @Override
    String streamContentType() {
        return "application/x-ndjson";
    }

    @Override
    String errorBody(int status, String message) {
        return StubJson.write(StubJson.object().put("error", message));
    }

    private static ObjectNode line(RecordedRequest request, ObjectNode message) {
        ObjectNode line = StubJson.object().put("model", request.json().path("model").asText(MODEL))
                .put("created_at", CREATED_AT);
        line.set("message", message);
        return line;
    }

    private static ObjectNode message(StubReply reply, String id, String content) {
        ObjectNode message = StubJson.object().put("role", "assistant").put("content", content);
        if (reply.kind() == StubReply.Kind.TOOL_CALL) {
            ObjectNode call = message.putArray("tool_calls").addObject().put("id", "call_stub_" + id);
            ObjectNode function = call.putObject("function").put("index", 0).put("name", reply.toolName());
            function.set("arguments", StubJson.parseArguments(reply.toolArguments()));
        }
        return message;
    }

    private static ObjectNode done(ObjectNode line, StubReply reply, Usage usage) {
        return line.put("done_reason", reply.finishReason() == FinishReason.LENGTH ? "length" : "stop")
                .put("done", true)
                .put("total_duration", (usage.total() + 5) * NANOS_PER_TOKEN)
                .put("load_duration", 5 * NANOS_PER_TOKEN)
                .put("prompt_eval_count", usage.promptTokens())
                .put("prompt_eval_duration", usage.promptTokens() * NANOS_PER_TOKEN / 10)
                .put("eval_count", usage.completionTokens())
                .put("eval_duration", usage.completionTokens() * NANOS_PER_TOKEN);
    }
}
