package dev.coe.router.chat;

import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertCalls;
import dev.coe.gateway.cache.CacheDirective;
import dev.coe.gateway.cache.CacheStatus;
import dev.coe.gateway.ExpertException;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.RetriableExpertException;
import dev.coe.gateway.resilience.Deadline;
import dev.coe.gateway.resilience.GatewayClock;
import dev.coe.router.routing.RoutingDecision;
import dev.coe.router.system.OpenAiError;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Answers {@code "stream": true} requests as OpenAI server-sent events. Walks the fallback chain
 * until an expert produces its first event; only then are the status and {@code x-coe-*} headers
 * sent, so a failure before the first byte still moves on to the next expert, while a failure after
 * it ends the stream with an error event (never a silent truncation, never a hang).
 * <p>
 * Once under way, a stream that stays quiet (a model thinking before it writes, a tool call being prepared) gets an
 * SSE comment, {@code : keep-alive}, every {@code keepAlive}: load balancers and proxies close connections idle for
 * 60 s or so, which would cut the answer off although the expert is still working. Clients ignore comment lines (the
 * SSE standard; OpenAI's SDKs too). Before the first event nothing is sent, so that a failure there still gets its
 * HTTP status and the next expert; that wait is bounded by each expert's first-token timeout.
 * Not thread-safe: one instance per request.
 */
final class StreamingResponder {

    private static final Logger log = LoggerFactory.getLogger(StreamingResponder.class);
    /** How much longer than the guard's own timeouts the responder waits before it gives up on an event itself. */
    private static final Duration SAFETY_MARGIN = Duration.ofSeconds(1);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final JsonMapper json;
    private final ChatCompletionRequest request;
    private final RoutingDecision decision;
    private final FallbackChain chain;
    private final Deadline deadline;
    private final String id = Completions.newId();
    private final long created = System.currentTimeMillis() / 1000;

    private final ExpertCalls calls;
    private final CacheDirective cache;
    private final Duration keepAlive;
    /** When the client was last written to, on the deadline's clock; written by the provider's thread too. */
    private volatile long lastWrite;

    /** @param keepAlive how long a stream under way may stay quiet before it gets a comment; zero: never */
    StreamingResponder(JsonMapper json, ChatCompletionRequest request, RoutingDecision decision, FallbackChain chain,
                       Deadline deadline, ExpertCalls calls, CacheDirective cache, Duration keepAlive) {
        this.keepAlive = keepAlive;
        this.calls = calls;
        this.cache = cache;
        this.json = json;
        this.request = request;
        this.decision = decision;
        this.chain = chain;
        this.deadline = deadline;
    }

    /**
     * @throws dev.coe.router.system.ApiException when no expert produced a first event (nothing has been sent yet)
     */
    void respond(HttpServletResponse response) throws IOException {
        for (Expert expert : chain.candidates()) {
            Duration remaining = remaining();
            if (remaining.isZero()) {
                break;
            }
            StreamBridge bridge = new StreamBridge(expert.id());
            // The expert's guard enforces its first-token timeout and reports it; this wait is only the safety net.
            Duration wait = min(remaining, expert.config().requestTimeout()).plus(SAFETY_MARGIN);
            StreamBridge.Event first;
            ExpertCalls.Stream started;
            try {
                started = calls.stream(expert, request.expertRequest(), deadline, cache, bridge);
                bridge.attach(started.handle());
                first = bridge.next(wait);
            } catch (ExpertException e) {
                chain.failed(expert, e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                bridge.cancel();
                throw new IOException("interrupted while waiting for " + expert.id(), e);
            }
            if (first == null) {
                bridge.cancel();
                chain.timedOut(expert, wait);
                continue;
            }
            if (first instanceof StreamBridge.Failed failed) {
                chain.failed(expert, (ExpertException) failed.error());
                continue;
            }
            chain.succeeded(expert, started.cache());
            stream(expert, bridge, first, started.cache(), response);
            return;
        }
        throw chain.exhausted(remaining().isZero());
    }

    private void stream(Expert expert, StreamBridge bridge, StreamBridge.Event first, CacheStatus cacheStatus,
                        HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        RoutingHeaders.decision(decision, response::setHeader);
        response.setHeader(RoutingHeaders.EXPERT, expert.id().value());
        response.setHeader(RoutingHeaders.ATTEMPTS, chain.attemptsHeaderValue());
        response.setHeader(RoutingHeaders.CACHE, cacheStatus.headerValue());
        if (expert.simulated()) {
            response.setHeader(RoutingHeaders.SIMULATED, "true");
        }
        OutputStream out = response.getOutputStream();
        String model = Completions.model(expert, null);
        Set<Integer> toolCallsStarted = new HashSet<>();
        // The guard ends the stream at the expert's total timeout; this one timer per stream is only the safety net.
        Duration limit = min(remaining(), expert.config().requestTimeout()).plus(SAFETY_MARGIN);
        GatewayClock.Cancellable safetyNet = deadline.clock().schedule(() -> bridge.stalled(limit), limit);
        QuietTimer quiet = new QuietTimer(bridge);
        // Once relaying directly, the provider's thread writes each piece as it arrives (StreamBridge says why).
        // Only for a stream of this request's own: a stream shared with identical requests (the cache's MISS and HIT)
        // delivers to every client under one lock, where a slow client's blocking write would hold back the others.
        StreamBridge.Sink direct = piece -> {
            writePiece(out, model, piece, toolCallsStarted);
            out.flush();
        };
        boolean mayRelayDirectly = cacheStatus == CacheStatus.BYPASS;
        boolean relaying = false;
        try {
            write(out, chunk(model, new CompletionJson.Delta("assistant", "", null), null));
            StreamBridge.Event event = first;
            while (true) {
                switch (event) {
                    case StreamBridge.Piece piece -> writePiece(out, model, piece, toolCallsStarted);
                    case StreamBridge.Complete c -> {
                        bridge.end(() -> finish(out, model, c.response(), toolCallsStarted));
                        return;
                    }
                    case StreamBridge.Failed f -> {
                        bridge.end(() -> failMidStream(out, expert.id(), f.error()));
                        return;
                    }
                    case StreamBridge.Stalled stalled -> {
                        bridge.cancel();
                        bridge.end(() -> failMidStream(out, expert.id(), new RetriableExpertException(expert.id(),
                                RetriableExpertException.Reason.TIMEOUT, "stream not finished within "
                                + stalled.after().toMillis() + " ms (the router's safety net)", null)));
                        return;
                    }
                    case StreamBridge.ClientGone gone -> throw gone.cause();
                    case StreamBridge.KeepAlive k -> {
                        // Flushed under the lock too: the provider's thread may be writing pieces meanwhile.
                        bridge.whileOpen(() -> {
                            out.write(KEEP_ALIVE);
                            out.flush();
                            lastWrite = deadline.clock().nanoTime();
                        });
                        event = bridge.take();
                        continue;
                    }
                }
                // Pieces that arrived while this one was written go out in the same flush.
                event = bridge.poll();
                if (event != null) {
                    continue;
                }
                out.flush();
                if (mayRelayDirectly && !relaying) {
                    relaying = bridge.relayDirectly(direct);  // refused while pieces wait: written on the next turn
                }
                event = bridge.take();
            }
        } catch (IOException clientGone) {
            // The client closed the connection: stop the expert's work as well.
            bridge.cancel();
            log.debug("client went away during stream {} from {}", id, expert.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            bridge.cancel();
        } finally {
            safetyNet.cancel();
            quiet.cancel();
        }
    }

    /**
     * Wakes the request thread with a {@link StreamBridge.KeepAlive} when nothing was written for {@code keepAlive}.
     * One timer at a time per stream, re-armed for when the stream would next have been quiet that long, so a busy
     * stream costs one timer per {@code keepAlive}, not one per token.
     */
    private final class QuietTimer {
        private final StreamBridge bridge;
        private volatile GatewayClock.Cancellable next = GatewayClock.Cancellable.NONE;
        private volatile boolean cancelled;

        QuietTimer(StreamBridge bridge) {
            this.bridge = bridge;
            lastWrite = deadline.clock().nanoTime();
            if (keepAlive.isPositive()) {
                arm(keepAlive);
            }
        }

        private void arm(Duration delay) {
            next = deadline.clock().schedule(this::check, delay);
            if (cancelled) {
                next.cancel();
            }
        }

        private void check() {
            if (cancelled) {
                return;
            }
            long quietFor = deadline.clock().nanoTime() - lastWrite;
            long left = keepAlive.toNanos() - quietFor;
            if (left <= 0) {
                bridge.keepAlive();
                arm(keepAlive);
            } else {
                arm(Duration.ofNanos(left));
            }
        }

        void cancel() {
            cancelled = true;
            next.cancel();
        }
    }

    private void finish(OutputStream out, String model, ChatResponse response, Set<Integer> toolCallsStarted) throws IOException {
        // Providers that do not stream tool calls piecewise still report them at the end.
        List<ToolExecutionRequest> calls = response.aiMessage().toolExecutionRequests();
        for (int i = 0; i < calls.size(); i++) {
            if (!toolCallsStarted.contains(i)) {
                ToolExecutionRequest r = calls.get(i);
                write(out, chunk(model, toolDelta(new StreamBridge.ToolCallDelta(i, r.id(), r.name(), r.arguments()),
                        toolCallsStarted), null));
            }
        }
        chain.used(response.tokenUsage());
        String finishReason = Completions.finishReason(response.finishReason(), !calls.isEmpty() || !toolCallsStarted.isEmpty());
        write(out, json.writeValueAsBytes(new CompletionJson.Chunk(id, "chat.completion.chunk", created, model, null,
                List.of(new CompletionJson.ChunkChoice(0, new CompletionJson.Delta(null, null, null), null, finishReason)),
                request.includeUsage() ? NullNode.getInstance() : null)));
        if (request.includeUsage()) {
            write(out, json.writeValueAsBytes(new CompletionJson.Chunk(id, "chat.completion.chunk", created, model, null,
                    List.of(), Completions.usage(response.tokenUsage()))));
        }
        out.write(DONE);
        out.flush();
    }

    private void failMidStream(OutputStream out, ExpertId expert, Throwable failure) throws IOException {
        // Headers are gone already; OpenAI's SDKs raise an error for a data event carrying "error".
        Throwable error = failure instanceof ExpertException e ? chain.inRoute(e) : failure;
        String reason = error instanceof RetriableExpertException r ? r.reason().name().toLowerCase(java.util.Locale.ROOT) : "expert_error";
        String detail = error instanceof ExpertException e ? e.detail() : String.valueOf(error.getMessage());
        log.warn("stream {} failed after the first byte: {}", id, error.getMessage());
        write(out, json.writeValueAsBytes(OpenAiError.of("Expert '" + expert + "' failed mid-stream (" + reason + "): "
                + detail + ". The answer above is incomplete.", "server_error", null, "expert_stream_failed")));
        out.flush();
    }

    /** Writes a text or tool-call piece (an empty text writes nothing); the caller flushes. */
    private void writePiece(OutputStream out, String model, StreamBridge.Piece piece, Set<Integer> toolCallsStarted)
            throws IOException {
        switch (piece) {
            case StreamBridge.Text t -> {
                if (t.text() != null && !t.text().isEmpty()) {
                    write(out, chunk(model, new CompletionJson.Delta(null, t.text(), null), null));
                }
            }
            case StreamBridge.ToolCallDelta d -> write(out, chunk(model, toolDelta(d, toolCallsStarted), null));
        }
    }

    private CompletionJson.Delta toolDelta(StreamBridge.ToolCallDelta d, Set<Integer> started) {
        boolean firstPiece = started.add(d.index());
        CompletionJson.ToolCall call = firstPiece
                ? new CompletionJson.ToolCall(d.index(), d.id(), "function",
                new CompletionJson.Function(d.name(), d.arguments() == null ? "" : d.arguments()))
                : new CompletionJson.ToolCall(d.index(), null, null, new CompletionJson.Function(null, d.arguments()));
        return new CompletionJson.Delta(null, null, List.of(call));
    }

    private byte[] chunk(String model, CompletionJson.Delta delta, String finishReason) {
        return json.writeValueAsBytes(new CompletionJson.Chunk(id, "chat.completion.chunk", created, model, null,
                List.of(new CompletionJson.ChunkChoice(0, delta, null, finishReason)),
                request.includeUsage() ? NullNode.getInstance() : null));
    }

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    /** Writes one event; the caller flushes (after the last of the events already waiting). */
    private void write(OutputStream out, byte[] data) throws IOException {
        out.write(DATA);
        out.write(data);
        out.write(EVENT_END);
        lastWrite = deadline.clock().nanoTime();
    }

    private Duration remaining() {
        return deadline.remaining();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
