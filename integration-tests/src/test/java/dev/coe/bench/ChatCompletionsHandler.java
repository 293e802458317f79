package dev.coe.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.NonRetriableExpertException;
import dev.coe.gateway.RetriableExpertException;
import dev.coe.gateway.SimulationConfig;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/chat/completions} of {@link SimulatedExpertServer}: turns the OpenAI request into an
 * {@link ExpertRequest}, asks the simulated expert, and writes its answer back in OpenAI's format.
 * A streamed answer is relayed token by token as the expert produces it. Thread-safe.
 */
final class ChatCompletionsHandler implements HttpHandler {

    /** Longest the server waits for the expert's next event before ending the stream with an error. */
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);

    private final Expert expert;
    private final String model;
    private final SimulationConfig simulation;

    ChatCompletionsHandler(Expert expert, String model, SimulationConfig simulation) {
        this.expert = expert;
        this.model = model;
        this.simulation = simulation;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod()) || !"/v1/chat/completions".equals(exchange.getRequestURI().getPath())) {
            OpenAiWire.sendError(exchange, 404, "invalid_request_error", "Use POST /v1/chat/completions");
            return;
        }
        OpenAiWire.Request request;
        try (InputStream in = exchange.getRequestBody()) {
            request = OpenAiWire.parseRequest(in.readAllBytes());
        } catch (OpenAiWire.BadRequest e) {
            OpenAiWire.sendError(exchange, 400, "invalid_request_error", e.getMessage());
            return;
        }
        ExpertRequest expertRequest = ExpertRequest.builder(request.messages())
                .maxTokens(request.maxTokens())
                .temperature(request.temperature())
                .build();
        String answeredModel = request.model().isBlank() ? model : request.model();
        try {
            if (request.stream()) {
                stream(exchange, expertRequest, answeredModel, request.includeUsage());
            } else {
                answerOnce(exchange, expertRequest, answeredModel);
            }
        } catch (RetriableExpertException e) {
            // The simulation's injected failures (error-rate) look like an overloaded engine.
            OpenAiWire.sendError(exchange, 503, "server_error", e.getMessage());
        } catch (NonRetriableExpertException e) {
            OpenAiWire.sendError(exchange, 400, "invalid_request_error", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        } catch (RuntimeException e) {
            // Only thrown before anything was sent: once a stream has started, failures become error events.
            OpenAiWire.sendError(exchange, 500, "server_error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void answerOnce(HttpExchange exchange, ExpertRequest request, String answeredModel) throws IOException {
        ChatResponse response = expert.chat(request);
        byte[] body = OpenAiWire.completion(OpenAiWire.newId(), epochSeconds(), answeredModel, response.aiMessage().text(),
                response.finishReason(), response.tokenUsage());
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void stream(HttpExchange exchange, ExpertRequest request, String answeredModel, boolean includeUsage)
            throws IOException, InterruptedException {
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        expert.stream(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String token) {
                events.add(token);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                events.add(response);
            }

            @Override
            public void onError(Throwable error) {
                events.add(error);
            }
        });
        Object event = events.poll(firstEventTimeout().toMillis(), TimeUnit.MILLISECONDS);
        // Like a real engine, fail with a status while nothing is sent yet; after that only an error event is possible.
        if (event == null) {
            OpenAiWire.sendError(exchange, 504, "server_error", "The simulated expert produced nothing in time");
            return;
        }
        if (event instanceof Throwable failure) {
            throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
        }
        String id = OpenAiWire.newId();
        long created = epochSeconds();
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            OpenAiWire.writeEvent(out, OpenAiWire.deltaChunk(id, created, answeredModel, "assistant", "", includeUsage));
            while (true) {
                switch (event) {
                    case String token -> OpenAiWire.writeEvent(out, OpenAiWire.deltaChunk(id, created, answeredModel, null, token, includeUsage));
                    case ChatResponse done -> {
                        OpenAiWire.writeEvent(out, OpenAiWire.finishChunk(id, created, answeredModel, done.finishReason(), includeUsage));
                        if (includeUsage) {
                            OpenAiWire.writeEvent(out, OpenAiWire.usageChunk(id, created, answeredModel, done.tokenUsage()));
                        }
                        out.write(OpenAiWire.DONE_EVENT);
                        out.close();
                        return;
                    }
                    case Throwable failure -> {
                        OpenAiWire.writeEvent(out, OpenAiWire.error("server_error", "Simulated expert failed mid-stream: " + failure.getMessage()));
                        out.close();
                        return;
                    }
                    default -> throw new IllegalStateException("unexpected event " + event);
                }
                event = events.poll(EVENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (event == null) {
                    event = new IllegalStateException("no token for " + EVENT_TIMEOUT.toSeconds() + " s");
                }
            }
        }
    }

    private Duration firstEventTimeout() {
        return simulation.firstTokenLatency().plus(EVENT_TIMEOUT);
    }

    private static long epochSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
