package dev.coe.gateway.stub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.langchain4j.model.output.FinishReason;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stub of the OpenAI Chat Completions API, as OpenAI, vLLM and llama.cpp serve it. Base URL
 * {@code http://127.0.0.1:<port>/v1}. Thread-safe.
 * <ul>
 *   <li>{@code POST /v1/chat/completions}: a {@code chat.completion} object; with {@code "stream": true}
 *       server-sent events: {@code data: {chat.completion.chunk}} lines (the role in the first delta, one content
 *       delta per word or tool-call deltas with index, id, name and argument pieces, then a chunk with the
 *       {@code finish_reason}), a usage chunk with empty {@code choices} when {@code stream_options.include_usage}
 *       is true, and {@code data: [DONE]};</li>
 *   <li>{@code GET /v1/models}: a model list with {@link #MODEL};</li>
 *   <li>{@code GET /metrics}: vLLM's Prometheus gauges ({@code vllm:num_requests_running},
 *       {@code vllm:num_requests_waiting}, {@code vllm:kv_cache_usage_perc}, all 0 until set with
 *       {@link #metric(String, double)}), labelled {@code {engine="0",model_name="stub-model"}}, with
 *       {@code # HELP} and {@code # TYPE} lines; never behind the API key, as in vLLM;</li>
 *   <li>errors as {@code {"error": {"message", "type", "param", "code"}}}. No key is checked unless
 *       {@link #requireApiKey(String)} is set ({@code Authorization: Bearer <key>}).</li>
 * </ul>
 * The metric settings hold until changed or {@link #reset()}.
 */
public final class OpenAiStubServer extends StubExpertServer {

    /** The model named by {@code GET /v1/models}; answers echo the model of the request. */
    public static final String MODEL = "stub-model";

    private static final long CREATED = 1_700_000_000L;

    private final VllmMetrics metrics = new VllmMetrics(MODEL);

    public OpenAiStubServer() {
        super(null);
    }

    /**
     * Sets a gauge of engine 0 served on {@code /metrics}, e.g. {@code metric("vllm:num_requests_waiting", 3)}
     * is served as {@code vllm:num_requests_waiting{engine="0",model_name="stub-model"} 3.0}. Any valid metric
     * name is served (e.g. the older {@code vllm:gpu_cache_usage_perc}); NaN and infinities as Prometheus writes them.
     */
    public OpenAiStubServer metric(String name, double value) {
        return metric(name, 0, value);
    }

    /** Sets the gauge of one data-parallel engine: vLLM with several engines serves one series per engine. */
    public OpenAiStubServer metric(String name, int engine, double value) {
        metrics.set(name, engine, value);
        return this;
    }

    /** Stops serving a gauge (all its series), as an engine that does not report it. */
    public OpenAiStubServer removeMetric(String name) {
        metrics.remove(name);
        return this;
    }

    /** Answers {@code /metrics} with this status (e.g. 500) from now on; 0 answers normally again. */
    public OpenAiStubServer failMetrics(int status) {
        metrics.fail(status);
        return this;
    }

    /** Serves exactly this text on {@code /metrics} instead of the gauges (null: the gauges again). */
    public OpenAiStubServer metricsText(String exposition) {
        metrics.raw(exposition);
        return this;
    }

    /** How many times {@code /metrics} was requested, failed answers included, since start or {@link #reset()}. */
    public int metricsScrapes() {
        return metrics.scrapes();
    }

    /** {@code http://127.0.0.1:<port>/metrics}. */
    public String metricsUrl() {
        return rootUrl() + "/metrics";
    }

    @Override
    public String baseUrl() {
        return rootUrl() + "/v1";
    }

    @Override
    String protocolName() {
        return "OpenAI";
    }

    @Override
    boolean isChat(RecordedRequest request) {
        return request.method().equals("POST") && request.path().equals("/v1/chat/completions");
    }

    @Override
    Refusal refusal(RecordedRequest request, String requiredApiKey) {
        return requiredApiKey == null || request.path().equals("/metrics") || ("Bearer " + requiredApiKey).equals(request.header("Authorization"))
                ? null : new Refusal(401, "Incorrect API key provided.");
    }

    @Override
    void serveOther(RecordedRequest request, HttpExchange exchange) throws IOException {
        if (request.method().equals("GET") && request.path().equals("/v1/models")) {
            ObjectNode model = StubJson.object().put("id", MODEL).put("object", "model").put("created", CREATED)
                    .put("owned_by", "stub");
            ObjectNode list = StubJson.object().put("object", "list");
            list.putArray("data").add(model);
            sendJson(exchange, 200, StubJson.write(list), Map.of());
        } else if (request.method().equals("GET") && request.path().equals("/metrics")) {
            serveMetrics(exchange);
        } else {
            sendJson(exchange, 404, errorBody(404, "Unknown request URL: " + request.method() + " " + request.path()), Map.of());
        }
    }

    @Override
    void resetProtocol() {
        metrics.reset();
    }

    private void serveMetrics(HttpExchange exchange) throws IOException {
        int status = metrics.scraped();
        byte[] body = (status == 200 ? metrics.render() : "Internal Server Error")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status == 200 ? VllmMetrics.CONTENT_TYPE : "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    String renderCompletion(RecordedRequest request, StubReply reply, Usage usage, String id) {
        ObjectNode message = StubJson.object().put("role", "assistant");
        if (reply.kind() == StubReply.Kind.TOOL_CALL) {
            message.putNull("content");
            ObjectNode call = message.putArray("tool_calls").addObject()
                    .put("id", "call_stub_" + id).put("type", "function");
            call.putObject("function").put("name", reply.toolName()).put("arguments", reply.toolArguments());
        } else {
            message.put("content", reply.text());
        }
        message.putNull("refusal");
        ObjectNode completion = head(request, id, "chat.completion");
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(reply.finishReason()));
        completion.set("usage", usage(usage));
        return StubJson.write(completion);
    }

    @Override
    List<String> renderStream(RecordedRequest request, StubReply reply, Usage usage, String id) {
        boolean includeUsage = request.json().path("stream_options").path("include_usage").asBoolean(false);
        List<String> events = new ArrayList<>();
        events.add(chunk(request, id, StubJson.object().put("role", "assistant").put("content", ""), null, includeUsage));
        if (reply.kind() == StubReply.Kind.TOOL_CALL) {
            ObjectNode first = StubJson.object();
            ObjectNode call = first.putArray("tool_calls").addObject()
                    .put("index", 0).put("id", "call_stub_" + id).put("type", "function");
            call.putObject("function").put("name", reply.toolName()).put("arguments", "");
            events.add(chunk(request, id, first, null, includeUsage));
            for (String piece : StubText.argumentPieces(reply.toolArguments())) {
                ObjectNode delta = StubJson.object();
                delta.putArray("tool_calls").addObject().put("index", 0)
                        .putObject("function").put("arguments", piece);
                events.add(chunk(request, id, delta, null, includeUsage));
            }
        } else {
            for (String piece : StubText.pieces(reply.text())) {
                events.add(chunk(request, id, StubJson.object().put("content", piece), null, includeUsage));
            }
        }
        events.add(chunk(request, id, StubJson.object(), finishReason(reply.finishReason()), includeUsage));
        if (includeUsage) {
            ObjectNode last = head(request, id, "chat.completion.chunk");
            last.putArray("choices");
            last.set("usage", usage(usage));
            events.add(StubJson.sse(last));
        }
        events.add("data: [DONE]\n\n");
        return events;
    }

    @Override
    String streamContentType() {
        return "text/event-stream; charset=utf-8";
    }

    @Override
    String errorBody(int status, String message) {
        String type = switch (status) {
            case 401 -> "invalid_request_error";
            case 429 -> "requests";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
        String code = switch (status) {
            case 401 -> "invalid_api_key";
            case 404 -> "model_not_found";
            case 429 -> "rate_limit_exceeded";
            default -> null;
        };
        ObjectNode error = StubJson.object();
        error.putObject("error").put("message", message).put("type", type).putNull("param").put("code", code);
        return StubJson.write(error);
    }

    private static ObjectNode head(RecordedRequest request, String id, String object) {
        return StubJson.object().put("id", "chatcmpl-stub-" + id).put("object", object).put("created", CREATED)
                .put("model", request.json().path("model").asText(MODEL)).put("system_fingerprint", "fp_stub");
    }

    private static String chunk(RecordedRequest request, String id, JsonNode delta, String finishReason, boolean withUsage) {
        ObjectNode chunk = head(request, id, "chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        if (withUsage) {
            // OpenAI sends "usage": null on every chunk but the last when usage was asked for.
            chunk.putNull("usage");
        }
        return StubJson.sse(chunk);
    }

    private static ObjectNode usage(Usage usage) {
        return StubJson.object().put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens()).put("total_tokens", usage.total());
    }

    private static String finishReason(FinishReason reason) {
        return switch (reason) {
            case LENGTH -> "length";
            case TOOL_EXECUTION -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
            default -> "stop";
        };
    }
}
