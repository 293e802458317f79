package dev.coe.gateway.stub;

import dev.langchain4j.model.output.FinishReason;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a stub server answers to one chat call: a text, a tool call, an HTTP error, or nothing at all; with
 * optional usage, finish reason, first-byte delay and connection drop. Immutable; the {@code with...} methods
 * return copies. Queue one with {@link StubExpertServer#reply(StubReply)}.
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

    private StubReply(Kind kind, String text, String toolName, String toolArguments, int status, String errorBody,
                      Map<String, String> errorHeaders, FinishReason finishReason, Integer promptTokens,
                      Integer completionTokens, Duration delayFirstByte, Integer dropAfterChunks, Integer endAfterChunks) {
        this.kind = kind;
        this.text = text;
        this.toolName = toolName;
        this.toolArguments = toolArguments;
        this.status = status;
        this.errorBody = errorBody;
        this.errorHeaders = Map.copyOf(errorHeaders);
        this.finishReason = finishReason;
        this.promptTokens = promptTokens;
        this.completionTokens = completionTokens;
        this.delayFirstByte = delayFirstByte;
        this.dropAfterChunks = dropAfterChunks;
        this.endAfterChunks = endAfterChunks;
    }

    /** A text answer; streamed one word per chunk. Finish reason STOP. */
    public static StubReply text(String text) {
        return new StubReply(Kind.TEXT, Objects.requireNonNull(text, "text"), null, null, 200, null, Map.of(),
                FinishReason.STOP, null, null, Duration.ZERO, null, null);
    }

    /** A call of one tool; {@code argumentsJson} is a JSON object, streamed in a few pieces. */
    public static StubReply toolCall(String name, String argumentsJson) {
        return new StubReply(Kind.TOOL_CALL, null, Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(argumentsJson, "argumentsJson"), 200, null, Map.of(),
                FinishReason.TOOL_EXECUTION, null, null, Duration.ZERO, null, null);
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
        return new StubReply(Kind.FAILURE, null, null, null, status, body, headers == null ? Map.of() : headers,
                null, null, null, Duration.ZERO, null, null);
    }

    /** No answer at all until the server is closed: the client's timeout has to end the call. */
    public static StubReply hang() {
        return new StubReply(Kind.HANG, null, null, null, 200, null, Map.of(), null, null, null, Duration.ZERO, null, null);
    }

    /** The same reply with another finish reason (e.g. LENGTH), mapped to the protocol's own name. */
    public StubReply withFinishReason(FinishReason reason) {
        return new StubReply(kind, text, toolName, toolArguments, status, errorBody, errorHeaders,
                Objects.requireNonNull(reason, "reason"), promptTokens, completionTokens, delayFirstByte, dropAfterChunks, endAfterChunks);
    }

    /** The same reply reporting this token usage. */
    public StubReply withUsage(int prompt, int completion) {
        return new StubReply(kind, text, toolName, toolArguments, status, errorBody, errorHeaders, finishReason,
                prompt, completion, delayFirstByte, dropAfterChunks, endAfterChunks);
    }

    /** The same reply, sent only after {@code delay} (before the status line). */
    public StubReply withDelayFirstByte(Duration delay) {
        return new StubReply(kind, text, toolName, toolArguments, status, errorBody, errorHeaders, finishReason,
                promptTokens, completionTokens, Objects.requireNonNull(delay, "delay"), dropAfterChunks, endAfterChunks);
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
        return new StubReply(kind, text, toolName, toolArguments, status, errorBody, errorHeaders, finishReason,
                promptTokens, completionTokens, delayFirstByte, chunks, endAfterChunks);
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
        return new StubReply(kind, text, toolName, toolArguments, status, errorBody, errorHeaders, finishReason,
                promptTokens, completionTokens, delayFirstByte, dropAfterChunks, chunks);
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

    @Override
    public String toString() {
        return "StubReply{" + kind + (text != null ? " '" + text + "'" : "") + (toolName != null ? " " + toolName : "")
                + (kind == Kind.FAILURE ? " " + status : "") + "}";
    }
}
