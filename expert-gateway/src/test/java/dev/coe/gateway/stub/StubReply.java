package dev.coe.gateway.stub;

import dev.langchain4j.model.output.FinishReason;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a stub server answers to one chat call: a text, a tool call, an HTTP error, or nothing at all; with
 * optional usage, finish reason, and the wire faults a real upstream shows (first-byte delay, slow drip, malformed
 * JSON, a connection cut before or during the answer). Immutable; the {@code with...} methods return copies.
 * Queue one with {@link StubExpertServer#reply(StubReply)}.
 */
public final class StubReply {

    /** What kind of answer. */
    public enum Kind { TEXT, TOOL_CALL, FAILURE, HANG }

    private final Kind kind;
    private final String text;
    private final String toolName;
    private final String toolArguments;
    private final int status;
    private final String errorBody;
    private final Map<String, String> errorHeaders;
    private final FinishReason finishReason;
    private final Integer promptTokens;
    private final Integer completionTokens;
    private final Duration delayFirstByte;
    private final Integer dropAfterChunks;
    private final Integer endAfterChunks;
    private final Duration dripInterval;
    private final boolean malformedJson;
    private final boolean resetBeforeFirstByte;

    private StubReply(Copy c) {
        this.kind = c.kind;
        this.text = c.text;
        this.toolName = c.toolName;
        this.toolArguments = c.toolArguments;
        this.status = c.status;
        this.errorBody = c.errorBody;
        this.errorHeaders = Map.copyOf(c.errorHeaders);
        this.finishReason = c.finishReason;
        this.promptTokens = c.promptTokens;
        this.completionTokens = c.completionTokens;
        this.delayFirstByte = c.delayFirstByte;
        this.dropAfterChunks = c.dropAfterChunks;
        this.endAfterChunks = c.endAfterChunks;
        this.dripInterval = c.dripInterval;
        this.malformedJson = c.malformedJson;
        this.resetBeforeFirstByte = c.resetBeforeFirstByte;
    }

    /** A text answer; streamed one word per chunk. Finish reason STOP. */
    public static StubReply text(String text) {
        Copy c = new Copy(Kind.TEXT);
        c.text = Objects.requireNonNull(text, "text");
        c.finishReason = FinishReason.STOP;
        return new StubReply(c);
    }

    /** A call of one tool; {@code argumentsJson} is a JSON object, streamed in a few pieces. */
    public static StubReply toolCall(String name, String argumentsJson) {
        Copy c = new Copy(Kind.TOOL_CALL);
        c.toolName = Objects.requireNonNull(name, "name");
        c.toolArguments = Objects.requireNonNull(argumentsJson, "argumentsJson");
        c.finishReason = FinishReason.TOOL_EXECUTION;
        return new StubReply(c);
    }

    /**
     * An HTTP error.
     *
     * @param body    the response body, or null for the protocol's own error shape with a stock message
     * @param headers extra response headers, e.g. {@code Retry-After}
     */
    public static StubReply failure(int status, String body, Map<String, String> headers) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be between 400 and 599, but was " + status);
        }
        Copy c = new Copy(Kind.FAILURE);
        c.status = status;
        c.errorBody = body;
        c.errorHeaders = headers == null ? Map.of() : headers;
        return new StubReply(c);
    }

    /** No answer at all until the server is closed: the client's timeout has to end the call. */
    public static StubReply hang() {
        return new StubReply(new Copy(Kind.HANG));
    }

    /** The same reply with another finish reason (e.g. LENGTH), mapped to the protocol's own name. */
    public StubReply withFinishReason(FinishReason reason) {
        Copy c = copy();
        c.finishReason = Objects.requireNonNull(reason, "reason");
        return new StubReply(c);
    }

    /** The same reply reporting this token usage. */
    public StubReply withUsage(int prompt, int completion) {
        Copy c = copy();
        c.promptTokens = prompt;
        c.completionTokens = completion;
        return new StubReply(c);
    }

    /** The same reply, sent only after {@code delay} (before the status line). */
    public StubReply withDelayFirstByte(Duration delay) {
        Copy c = copy();
        c.delayFirstByte = Objects.requireNonNull(delay, "delay");
        return new StubReply(c);
    }

    /**
     * The same reply cut off: a stream sends {@code chunks} chunks (SSE events or NDJSON lines) and then the
     * socket is closed without the chunked body's end; a non-streamed answer sends its headers and part of its
     * body. The cut comes a short grace period (250 ms) after the last byte, so that the client has read what was
     * sent. The client sees an I/O error, never a clean end.
     */
    public StubReply withDropAfterChunks(int chunks) {
        if (chunks < 0) {
            throw new IllegalArgumentException("chunks must be >= 0, but was " + chunks);
        }
        Copy c = copy();
        c.dropAfterChunks = chunks;
        return new StubReply(c);
    }

    /**
     * The same reply ended early but cleanly: a stream sends {@code chunks} chunks and then finishes the HTTP
     * response normally, without the protocol's final event ({@code [DONE]}, {@code "done": true},
     * {@code message_stop}), as a proxy that gives up politely would. Ignored for non-streamed answers.
     */
    public StubReply withStreamEndingAfterChunks(int chunks) {
        if (chunks < 0) {
            throw new IllegalArgumentException("chunks must be >= 0, but was " + chunks);
        }
        Copy c = copy();
        c.endAfterChunks = chunks;
        return new StubReply(c);
    }

    /**
     * The same reply sent slowly, as an overloaded engine does: the status line and headers at once, then a pause
     * of {@code interval} before every stream chunk but the first, or before the whole body of a non-streamed
     * answer. Only a 200 answer drips; errors and hangs are unchanged. {@code StubExpertServer.reset()} and
     * {@code close()} cut the pauses short.
     */
    public StubReply withDripInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative, but was " + interval);
        }
        Copy c = copy();
        c.dripInterval = interval;
        return new StubReply(c);
    }

    /**
     * The same reply with a body that is not valid JSON, under status 200 and the usual content type: a
     * non-streamed answer is its JSON cut in half (with a matching {@code Content-Length}, so the HTTP exchange
     * itself is clean); a stream has one chunk in its middle cut in half the same way, the events before and after
     * it intact. Only a 200 answer is affected.
     */
    public StubReply withMalformedJson() {
        Copy c = copy();
        c.malformedJson = true;
        return new StubReply(c);
    }

    /**
     * The same reply replaced by a connection closed before the first byte of the answer: the request is read
     * (and recorded), then the socket is closed without a status line. The JDK's {@code HttpServer} has no way to
     * send a TCP RST, so the client sees an orderly close (EOF) where it waits for the status line, as when a
     * server process dies or a proxy drops the request.
     */
    public StubReply withResetBeforeFirstByte() {
        Copy c = copy();
        c.resetBeforeFirstByte = true;
        return new StubReply(c);
    }

    public Kind kind() { return kind; }

    public String text() { return text; }

    public String toolName() { return toolName; }

    public String toolArguments() { return toolArguments; }

    public int status() { return status; }

    /** The error body, or null for the protocol's default shape. */
    public String errorBody() { return errorBody; }

    public Map<String, String> errorHeaders() { return errorHeaders; }

    public FinishReason finishReason() { return finishReason; }

    /** Prompt tokens to report, or null for the server's setting. */
    public Integer promptTokens() { return promptTokens; }

    /** Completion tokens to report, or null for the server's setting. */
    public Integer completionTokens() { return completionTokens; }

    public Duration delayFirstByte() { return delayFirstByte; }

    /** Chunks sent before the connection is cut, or null when it is not cut. */
    public Integer dropAfterChunks() { return dropAfterChunks; }

    /** Chunks sent before a stream ends cleanly but early, or null when it is complete. */
    public Integer endAfterChunks() { return endAfterChunks; }

    /** The pause before each chunk after the first (or before a non-streamed body); zero when not dripping. */
    public Duration dripInterval() { return dripInterval; }

    /** True when the body, or one chunk of a stream, is not valid JSON. */
    public boolean malformedJson() { return malformedJson; }

    /** True when the connection is closed before the status line. */
    public boolean resetBeforeFirstByte() { return resetBeforeFirstByte; }

    @Override
    public String toString() {
        return "StubReply{" + kind + (text != null ? " '" + text + "'" : "") + (toolName != null ? " " + toolName : "")
                + (kind == Kind.FAILURE ? " " + status : "") + (resetBeforeFirstByte ? " reset" : "")
                + (malformedJson ? " malformed" : "") + (dripInterval.isZero() ? "" : " drip " + dripInterval) + "}";
    }

    private Copy copy() {
        Copy c = new Copy(kind);
        c.text = text;
        c.toolName = toolName;
        c.toolArguments = toolArguments;
        c.status = status;
        c.errorBody = errorBody;
        c.errorHeaders = errorHeaders;
        c.finishReason = finishReason;
        c.promptTokens = promptTokens;
        c.completionTokens = completionTokens;
        c.delayFirstByte = delayFirstByte;
        c.dropAfterChunks = dropAfterChunks;
        c.endAfterChunks = endAfterChunks;
        c.dripInterval = dripInterval;
        c.malformedJson = malformedJson;
        c.resetBeforeFirstByte = resetBeforeFirstByte;
        return c;
    }

    /** The mutable fields of one reply while it is being built; never escapes this class. */
    private static final class Copy {
        private final Kind kind;
        private String text;
        private String toolName;
        private String toolArguments;
        private int status = 200;
        private String errorBody;
        private Map<String, String> errorHeaders = Map.of();
        private FinishReason finishReason;
        private Integer promptTokens;
        private Integer completionTokens;
        private Duration delayFirstByte = Duration.ZERO;
        private Integer dropAfterChunks;
        private Integer endAfterChunks;
        private Duration dripInterval = Duration.ZERO;
        private boolean malformedJson;
        private boolean resetBeforeFirstByte;

        private Copy(Kind kind) {
            this.kind = kind;
        }
    }
}
