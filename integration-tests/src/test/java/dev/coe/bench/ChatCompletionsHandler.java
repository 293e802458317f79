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
 * A streamed answer is relayed token by token as the expert produces it. Faults from {@link FaultInjection}
 * are added on the way: a late start, or a connection cut before or in the middle of the answer. Every call
 * is counted in {@link ExpertTraffic}, and a call tagged with a {@code user} is timed in {@link ExpertTimes} when
 * there is one. Thread-safe.
 */
final class ChatCompletionsHandler implements HttpHandler {

    /** Longest the server waits for the expert's next event before ending the stream with an error. */
    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);
    /** Pause between the last bytes sent and a simulated cut of the connection. */
    private static final Duration CUT_GRACE = Duration.ofMillis(20);

    private final Expert expert;
    private final String model;
    private final SimulationConfig simulation;
    private final FaultInjection faults;
    private final ExpertTraffic traffic;
    /** Null when nobody reads the times. */
    private final ExpertTimes times;

    ChatCompletionsHandler(Expert expert, String model, SimulationConfig simulation, FaultInjection faults, ExpertTraffic traffic,
                           ExpertTimes times) {
        this.expert = expert;
        this.model = model;
        this.simulation = simulation;
        this.faults = faults;
        this.traffic = traffic;
        this.times = times;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
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
        String tag = times == null ? null : request.user();
        if (tag != null) {
            times.arrived(tag, arrived);
        }
        traffic.arrived();
        FaultInjection.Fault fault = faults.draw();
        try {
            if (fault == FaultInjection.Fault.DROP_BEFORE_ANSWER) {
                traffic.ended(ExpertTraffic.Outcome.DROPPED_BEFORE_ANSWER);
                throw new ConnectionCut();
            }
            if (fault == FaultInjection.Fault.SLOW) {
                traffic.ended(ExpertTraffic.Outcome.SLOW);
                Thread.sleep(faults.slowDelay());
            }
            boolean cutMidAnswer = fault == FaultInjection.Fault.DROP_MID_ANSWER;
            if (request.stream()) {
                stream(exchange, expertRequest, answeredModel, request.includeUsage(), cutMidAnswer, tag);
            } else {
                answerOnce(exchange, expertRequest, answeredModel, cutMidAnswer, tag);
            }
            if (fault == FaultInjection.Fault.NONE) {
                traffic.ended(ExpertTraffic.Outcome.ANSWERED);
            }
        } catch (RetriableExpertException e) {
            // The simulation's injected failures (error-rate) look like an overloaded engine.
            if (fault != FaultInjection.Fault.SLOW) {
                traffic.ended(ExpertTraffic.Outcome.ERROR_503); // a late call was counted as late already
            }
            OpenAiWire.sendError(exchange, 503, "server_error", e.getMessage());
        } catch (NonRetriableExpertException e) {
            OpenAiWire.sendError(exchange, 400, "invalid_request_error", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        } catch (ConnectionCut cut) {
            throw cut;
        } catch (RuntimeException e) {
            // Only thrown before anything was sent: once a stream has started, failures become error events.
            OpenAiWire.sendError(exchange, 500, "server_error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void answerOnce(HttpExchange exchange, ExpertRequest request, String answeredModel, boolean cutMidAnswer,
                            String tag) throws IOException, InterruptedException {
        ChatResponse response = expert.chat(request);
        byte[] body = OpenAiWire.completion(OpenAiWire.newId(), epochSeconds(), answeredModel, response.aiMessage().text(),
                response.finishReason(), response.tokenUsage());
        if (tag != null && !cutMidAnswer) {
            times.done(tag, System.nanoTime());
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        if (cutMidAnswer) {
            exchange.getResponseBody().write(body, 0, body.length / 2);
            cut(exchange);
        }
        try (exchange) {
            exchange.getResponseBody().write(body);
        }
    }

    private void stream(HttpExchange exchange, ExpertRequest request, String answeredModel, boolean includeUsage,
                        boolean cutMidAnswer, String tag) throws IOException, InterruptedException {
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
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        OpenAiWire.writeEvent(out, OpenAiWire.deltaChunk(id, created, answeredModel, "assistant", "", includeUsage));
        int cutAfterTokens = cutMidAnswer ? Math.max(1, simulation.answerTokens() / 2) : Integer.MAX_VALUE;
        int tokensSent = 0;
        // Not try-with-resources: closing the exchange would end the chunked body cleanly, and a cut must not.
        try {
            while (true) {
                switch (event) {
                    case String token -> {
                        if (tag != null && tokensSent == 0) {
                            times.firstToken(tag, System.nanoTime());
                        }
                        OpenAiWire.writeEvent(out, OpenAiWire.deltaChunk(id, created, answeredModel, null, token, includeUsage));
                        if (++tokensSent >= cutAfterTokens) {
                            cut(exchange);
                        }
                    }
                    case ChatResponse done -> {
                        if (tag != null) {
                            times.done(tag, System.nanoTime());
                        }
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
        } finally {
            if (cutAfterTokens == Integer.MAX_VALUE || tokensSent < cutAfterTokens) {
                exchange.close();
            }
        }
    }

    /**
     * Cuts the connection in the middle of an answer: leaving the handler with an exception makes the JDK server
     * close the socket without ending the body, as when an engine dies mid-answer. The short pause first lets the
     * client read what was sent (the JDK client drops received but unread bytes once the connection fails).
     */
    private void cut(HttpExchange exchange) throws IOException, InterruptedException {
        traffic.ended(ExpertTraffic.Outcome.DROPPED_MID_ANSWER);
        exchange.getResponseBody().flush();
        Thread.sleep(CUT_GRACE);
        throw new ConnectionCut();
    }

    /** Thrown out of the handler to make the JDK server drop the connection without finishing the answer. */
    private static final class ConnectionCut extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConnectionCut() {
            super("simulated connection cut", null, false, false);
        }
    }

    private Duration firstEventTimeout() {
        return simulation.firstTokenLatency().plus(EVENT_TIMEOUT);
    }

    private static long epochSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
