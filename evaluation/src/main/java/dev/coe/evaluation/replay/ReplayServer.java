package dev.coe.evaluation.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.coe.evaluation.suite.ExpertSpec;
import dev.coe.evaluation.suite.Suite;
import dev.coe.evaluation.suite.SuiteItem;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible server whose experts answer with <b>recorded</b> answers of real, named models: one
 * expert per recorded model at {@code /replay/<model>/v1/chat/completions}. It finds the suite item from the
 * conversation's user turns and answers with that model's recorded answer to the last one, with a {@code usage}
 * estimated at four characters per token. Every answer carries {@code x-coe-replay: recorded}. A conversation it
 * does not know, or a model it has no recording of, gets a 404 in OpenAI's error shape. Nothing is generated.
 * Thread-safe; close it to stop it.
 */
public final class ReplayServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/replay/";
    private static final String SUFFIX = "/v1/chat/completions";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    /** user turns joined by {@link #SEPARATOR} -> item and turn number */
    private final Map<String, Located> index = new HashMap<>();
    private final Map<String, String> modelOfId = new HashMap<>();

    private record Located(SuiteItem item, int turn) {
    }

    private static final String SEPARATOR = "\u0000";

    private ReplayServer(HttpServer server) {
        this.server = server;
    }

    /** Starts a server on a free loopback port that replays the given suites. */
    public static ReplayServer start(List<Suite> suites) throws IOException {
        ReplayServer replay = new ReplayServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        for (Suite suite : suites) {
            for (SuiteItem item : suite.items()) {
                for (int t = 1; t <= item.turns().size(); t++) {
                    replay.index.put(String.join(SEPARATOR, item.turns().subList(0, t)), new Located(item, t));
                }
            }
        }
        replay.server.createContext(PREFIX, replay::handle);
        replay.server.setExecutor(replay.executor);
        replay.server.start();
        return replay;
    }

    /** The base URL of a recorded model's expert, as {@code base-url} in {@code experts.yaml}. */
    public String baseUrl(String model) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PREFIX + model + "/v1";
    }

    /**
     * The replay router's {@code experts.yaml}: one {@code provider: openai} expert per expert of the suite,
     * pointing at this server, with the suite's active parameters as its cost.
     */
    public String expertsYaml(List<ExpertSpec> experts) {
        StringBuilder yaml = new StringBuilder("# Replay experts: recorded answers of the named models, not live calls.\n"
                + "defaults:\n  request-timeout: 30s\n  resilience:\n    bulkhead:\n      max-concurrent-calls: 1024\n"
                + "    circuit-breaker:\n      minimum-calls: 1000000\nexperts:\n");
        for (ExpertSpec e : experts) {
            yaml.append("  - id: ").append(e.id()).append("\n    description: recorded answers of ").append(e.model())
                    .append(" (replay)\n    provider: openai\n    base-url: ").append(baseUrl(e.model()))
                    .append("\n    model: ").append(e.model()).append('\n');
            if (e.activeParamsB() != null) {
                yaml.append("    cost:\n      active-params-b: ").append(e.activeParamsB()).append('\n');
            }
        }
        return yaml.toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith(SUFFIX)) {
                error(exchange, 404, "only POST /replay/<model>/v1/chat/completions is served");
                return;
            }
            String model = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
            JsonNode body;
            try {
                body = JSON.readTree(exchange.getRequestBody());
            } catch (IOException e) {
                error(exchange, 400, "the body is not JSON");
                return;
            }
            List<String> userTurns = new ArrayList<>();
            body.path("messages").forEach(m -> {
                if ("user".equals(m.path("role").asText())) {
                    userTurns.add(text(m.path("content")));
                }
            });
            Located located = index.get(String.join(SEPARATOR, userTurns));
            String answer = located == null ? null : located.item().answer(model, located.turn());
            if (located == null) {
                error(exchange, 404, "no recorded conversation has these " + userTurns.size() + " user turns");
            } else if (answer == null) {
                error(exchange, 404, "no recorded answer of model " + model + " to item " + located.item().id());
            } else {
                answer(exchange, model, answer, body.path("stream").asBoolean(false), userTurns);
            }
        }
    }

    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        content.forEach(part -> text.append(part.path("text").asText()));
        return text.toString();
    }

    private static void answer(HttpExchange exchange, String model, String answer, boolean stream, List<String> prompt)
            throws IOException {
        int promptTokens = Math.max(1, prompt.stream().mapToInt(String::length).sum() / 4);
        int completionTokens = Math.max(1, answer.length() / 4);
        ObjectNode usage = JSON.createObjectNode().put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens).put("total_tokens", promptTokens + completionTokens);
        ObjectNode message = JSON.createObjectNode().put("role", "assistant").put("content", answer);
        exchange.getResponseHeaders().add("x-coe-replay", "recorded");
        if (!stream) {
            ObjectNode root = JSON.createObjectNode().put("id", "replay-" + model).put("object", "chat.completion")
                    .put("created", 0).put("model", model);
            root.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").set("message", message);
            root.set("usage", usage);
            send(exchange, 200, "application/json", JSON.writeValueAsBytes(root));
            return;
        }
        ObjectNode chunk = JSON.createObjectNode().put("id", "replay-" + model).put("object", "chat.completion.chunk")
                .put("created", 0).put("model", model);
        chunk.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").set("delta", message);
        ObjectNode last = JSON.createObjectNode().put("id", "replay-" + model).put("object", "chat.completion.chunk")
                .put("created", 0).put("model", model);
        last.putArray("choices");
        last.set("usage", usage);
        String events = "data: " + JSON.writeValueAsString(chunk) + "\n\ndata: " + JSON.writeValueAsString(last)
                + "\n\ndata: [DONE]\n\n";
        send(exchange, 200, "text/event-stream", events.getBytes(StandardCharsets.UTF_8));
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("message", "replay: " + message).put("type", "invalid_request_error")
                .put("code", "not_recorded");
        send(exchange, status, "application/json", JSON.writeValueAsBytes(root));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
