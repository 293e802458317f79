package dev.coe.gateway.stub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local HTTP server that speaks one model provider's wire protocol faithfully enough for the real langchain4j
 * clients, so that experts can be tested without a model: the same JSON bodies, SSE or NDJSON framing and error
 * shapes as the real server. Built on the JDK's {@link HttpServer}, bound to 127.0.0.1 on a free port, started by
 * the constructor; close it (try-with-resources) to stop it. Thread-safe.
 * <p>
 * Every request is recorded ({@link #requests()}). Chat calls answer with the next scripted reply, in the order
 * queued, and with the server's default reply (a short text saying which stub answered) when none is queued:
 * <pre>{@code
 * try (OpenAiStubServer stub = new OpenAiStubServer()) {
 *     stub.replyText("Paris is the capital of France.").usage(12, 7);
 *     stub.failWithStatus(429, null, Map.of("Retry-After", "2"));   // the second call fails
 *     ExpertConfig config = ExpertConfig.builder("gpt").provider(OPENAI_COMPATIBLE).baseUrl(stub.baseUrl()).model("m").build();
 *     ...
 *     assertThat(stub.lastRequest().json().path("temperature").asDouble()).isEqualTo(0.2);
 * }
 * }</pre>
 * The fault injections change only the next chat call, whatever its reply (queued before or after them):
 * {@link #delayFirstByte(Duration)}, {@link #dropConnectionAfterChunks(int)}, {@link #dripChunks(Duration)},
 * {@link #replyMalformedJson()} and {@link #resetBeforeFirstByte()}; several of them combine.
 * {@link #usage(int, int)} holds until changed or {@link #reset()}, and {@link #requireApiKey(String)} until
 * changed. Default usage: prompt tokens are the words of the request's messages, completion tokens the streamed
 * chunks of text or arguments.
 */
public abstract sealed class StubExpertServer implements AutoCloseable
        permits OpenAiStubServer, OllamaStubServer, AnthropicStubServer {

    /** Why a request is refused before it is served: the status and the message for the error body. */
    record Refusal(int status, String message) {
    }

    /** Token counts a reply reports. */
    record Usage(int promptTokens, int completionTokens) {
        int total() {
            return promptTokens + completionTokens;
        }
    }

    /** How long a stub waits between the last chunk it sends and cutting the connection. */
    static final Duration DROP_GRACE = Duration.ofMillis(250);

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final StubScript script = new StubScript();
    /** Counted down to release hanging and delayed answers; replaced by reset(), for good by close(). */
    private final AtomicReference<CountDownLatch> release = new AtomicReference<>(new CountDownLatch(1));
    private volatile boolean closing;
    private final AtomicInteger ids = new AtomicInteger();
    private volatile String requiredApiKey;

    StubExpertServer(String requiredApiKey) {
        this.requiredApiKey = requiredApiKey;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a stub server on 127.0.0.1", e);
        }
        // A thread per exchange: a hanging reply must not block the health checks or other calls.
        executor = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name(getClass().getSimpleName() + "-", 0).factory());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL an {@code ExpertConfig} for this stub uses (its form depends on the provider). */
    public abstract String baseUrl();

    /** {@code http://127.0.0.1:<port>}, without any API path. */
    public final String rootUrl() {
        return "http://127.0.0.1:" + port();
    }

    public final int port() {
        return server.getAddress().getPort();
    }

    /** All requests received so far, health checks included, in arrival order. */
    public final List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The chat requests received so far, in arrival order. */
    public final List<RecordedRequest> chatRequests() {
        return requests.stream().filter(this::isChat).toList();
    }

    /**
     * The last chat request received.
     *
     * @throws IllegalStateException if there was none
     */
    public final RecordedRequest lastRequest() {
        List<RecordedRequest> chats = chatRequests();
        if (chats.isEmpty()) {
            throw new IllegalStateException(getClass().getSimpleName() + " has received no chat request");
        }
        return chats.getLast();
    }

    /** Queues a reply for the next chat call that has none yet. */
    public final StubExpertServer reply(StubReply reply) {
        script.add(reply);
        return this;
    }

    /** Queues a text answer, streamed one word per chunk. */
    public final StubExpertServer replyText(String text) {
        return reply(StubReply.text(text));
    }

    /** Queues a call of tool {@code name} with {@code argumentsJson} (a JSON object). */
    public final StubExpertServer replyToolCall(String name, String argumentsJson) {
        return reply(StubReply.toolCall(name, argumentsJson));
    }

    /** Queues an HTTP error in the protocol's own error shape. */
    public final StubExpertServer failWithStatus(int status) {
        return reply(StubReply.failure(status, null, Map.of()));
    }

    /** Queues an HTTP error; a null body means the protocol's own error shape. */
    public final StubExpertServer failWithStatus(int status, String body, Map<String, String> headers) {
        return reply(StubReply.failure(status, body, headers));
    }

    /** Queues a reply that never comes: the call hangs until the client gives up, or {@link #reset()} or {@link #close()}. */
    public final StubExpertServer hang() {
        return reply(StubReply.hang());
    }

    /** Reports these token counts in every answer from now on (a reply's own usage still wins). */
    public final StubExpertServer usage(int promptTokens, int completionTokens) {
        script.usage(new Usage(promptTokens, completionTokens));
        return this;
    }

    /** Cuts the next chat call's connection after {@code chunks} chunks; see {@link StubReply#withDropAfterChunks}. */
    public final StubExpertServer dropConnectionAfterChunks(int chunks) {
        script.dropNext(chunks);
        return this;
    }

    /** Delays the first byte of the next chat call's answer. */
    public final StubExpertServer delayFirstByte(Duration delay) {
        script.delayNext(delay);
        return this;
    }

    /**
     * Sends the next chat call's answer slowly: headers at once, then {@code interval} before each stream chunk
     * after the first, or before a non-streamed body; see {@link StubReply#withDripInterval}.
     */
    public final StubExpertServer dripChunks(Duration interval) {
        if (java.util.Objects.requireNonNull(interval, "interval").isNegative()) {
            throw new IllegalArgumentException("interval must not be negative, but was " + interval);
        }
        script.changeNext(reply -> reply.withDripInterval(interval));
        return this;
    }

    /**
     * Makes the next chat call's 200 answer invalid JSON: a non-streamed body cut in half, or one stream chunk in
     * the middle cut in half; see {@link StubReply#withMalformedJson}.
     */
    public final StubExpertServer replyMalformedJson() {
        script.changeNext(StubReply::withMalformedJson);
        return this;
    }

    /**
     * Closes the next chat call's connection after reading the request, before any byte of the answer; see
     * {@link StubReply#withResetBeforeFirstByte}.
     */
    public final StubExpertServer resetBeforeFirstByte() {
        script.changeNext(StubReply::withResetBeforeFirstByte);
        return this;
    }

    /** Answers 401 in the protocol's error shape unless a request carries this key (null: no check). */
    public final StubExpertServer requireApiKey(String key) {
        this.requiredApiKey = key;
        return this;
    }

    /**
     * Forgets the recorded requests, queued replies, one-shot settings and the usage setting, and releases calls
     * still hanging from earlier scripts (their connections are closed without an answer).
     */
    public final void reset() {
        requests.clear();
        script.reset();
        resetProtocol();
        if (!closing) {
            release.getAndSet(new CountDownLatch(1)).countDown();
        }
    }

    /** Stops the server at once; hanging and delayed answers are released and their connections closed. */
    @Override
    public final void close() {
        closing = true;
        release.get().countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- the protocol hooks of the three subclasses ----

    abstract String protocolName();

    abstract boolean isChat(RecordedRequest request);

    /** Null when the request may be served, else why not (wrong key, missing version header). */
    abstract Refusal refusal(RecordedRequest request, String requiredApiKey);

    /** Answers anything that is not a chat call: the model list, the version, or 404. */
    abstract void serveOther(RecordedRequest request, HttpExchange exchange) throws IOException;

    abstract String renderCompletion(RecordedRequest request, StubReply reply, Usage usage, String id);

    /** The streamed answer, one element per chunk, each exactly as written to the wire. */
    abstract List<String> renderStream(RecordedRequest request, StubReply reply, Usage usage, String id);

    abstract String streamContentType();

    abstract String errorBody(int status, String message);

    /** Forgets the settings of a subclass's own endpoints; called by {@link #reset()}. */
    void resetProtocol() {
    }

    // ---- the request cycle ----

    private void handle(HttpExchange exchange) throws IOException {
        RecordedRequest request = record(exchange);
        requests.add(request);
        try {
            Refusal refusal = refusal(request, requiredApiKey);
            if (refusal != null) {
                sendJson(exchange, refusal.status(), errorBody(refusal.status(), refusal.message()), Map.of());
            } else if (isChat(request)) {
                serveChat(request, exchange);
            } else {
                serveOther(request, exchange);
            }
        } catch (ConnectionCut cut) {
            // Leaving the handler with an exception makes HttpServer close the socket without ending the
            // chunked body: the client sees a truncated stream, as when a server dies mid-answer.
            throw cut;
        } catch (IOException clientWentAway) {
            // The client gave up (its timeout) or the server is closing: nothing left to answer.
        } catch (RuntimeException bug) {
            // A bug in a stub must show as a failed test, not as a dropped connection.
            bug.printStackTrace();
            if (exchange.getResponseCode() == -1) {
                sendJson(exchange, 500, errorBody(500, "stub failed: " + bug), Map.of());
            }
        }
        exchange.close();
    }

    private void serveChat(RecordedRequest request, HttpExchange exchange) throws IOException {
        StubReply reply = script.next("Hello from the " + protocolName() + " stub.");
        if (!reply.delayFirstByte().isZero()) {
            awaitRelease(reply.delayFirstByte());
        }
        if (reply.resetBeforeFirstByte()) {
            throw new ConnectionCut(); // before sendResponseHeaders: the socket closes without a status line
        }
        switch (reply.kind()) {
            case HANG -> {
                awaitRelease(null);
                throw new ConnectionCut(); // released: close the connection without any answer
            }
            case FAILURE -> sendJson(exchange, reply.status(), reply.errorBody() != null ? reply.errorBody()
                    : errorBody(reply.status(), "stub failure with status " + reply.status()), reply.errorHeaders());
            case TEXT, TOOL_CALL -> {
                String id = Integer.toString(ids.incrementAndGet());
                Usage counted = script.usageOf(request, reply);
                if (request.streaming()) {
                    List<String> chunks = renderStream(request, reply, counted, id);
                    writeStream(exchange, reply.malformedJson() ? StubFaults.malformMiddleChunk(chunks) : chunks, reply);
                } else {
                    String json = renderCompletion(request, reply, counted, id);
                    writeBody(exchange, reply.malformedJson() ? StubFaults.malform(json) : json, reply);
                }
            }
        }
    }

    private void writeStream(HttpExchange exchange, List<String> chunks, StubReply reply) throws IOException {
        Integer dropAfter = reply.dropAfterChunks();
        int end = reply.endAfterChunks() == null ? chunks.size() : Math.min(chunks.size(), reply.endAfterChunks());
        exchange.getResponseHeaders().set("Content-Type", streamContentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < end; i++) {
            if (dropAfter != null && i >= dropAfter) {
                break;
            }
            if (i > 0 && !reply.dripInterval().isZero()) {
                awaitRelease(reply.dripInterval());
            }
            out.write(chunks.get(i).getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        if (dropAfter != null) {
            cut();
        }
    }

    private void writeBody(HttpExchange exchange, String json, StubReply reply) throws IOException {
        Integer dropAfter = reply.dropAfterChunks();
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        if (!reply.dripInterval().isZero()) {
            // HttpServer buffers the headers of a fixed-length answer until the body is written: push them out now.
            exchange.getResponseBody().flush();
            awaitRelease(reply.dripInterval());
        }
        if (dropAfter != null) {
            exchange.getResponseBody().write(bytes, 0, bytes.length / 2);
            exchange.getResponseBody().flush();
            cut();
        }
        exchange.getResponseBody().write(bytes);
    }

    /**
     * Cuts the connection after a grace period: the JDK HTTP client discards body bytes it has received but not
     * yet handed to the reader once an I/O error arrives, so without the pause the client might not see the
     * chunks that were sent before the cut.
     */
    private void cut() {
        awaitRelease(DROP_GRACE);
        throw new ConnectionCut();
    }

    /** Sends a complete JSON answer with any status. */
    static void sendJson(HttpExchange exchange, int status, String json, Map<String, String> headers) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Waits for {@code atMost} (null: for ever), or less when the server is reset or closed. */
    private void awaitRelease(Duration atMost) {
        CountDownLatch latch = release.get();
        if (closing) {
            return;
        }
        try {
            if (atMost == null) {
                latch.await();
            } else {
                latch.await(atMost.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static RecordedRequest record(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        return new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body,
                StubJson.parseOrNull(body));
    }

    /** Thrown out of the handler to make {@link HttpServer} drop the connection without finishing the body. */
    private static final class ConnectionCut extends RuntimeException {
        ConnectionCut() {
            super("stub cuts the connection", null, false, false);
        }
    }
}
