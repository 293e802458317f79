package dev.coe.gateway.internal;

import dev.langchain4j.exception.HttpException;

import java.time.Duration;
import java.util.Objects;

/**
 * langchain4j's {@link HttpException} plus the wait the answer asked for in its {@code Retry-After} header, which
 * the original drops. Thrown in place of the original by {@link RetryAfterCapture}; a subclass so that langchain4j
 * maps it exactly as it maps the original (by status), and {@link ExpertErrorMapper} finds it in the cause chain.
 * It has no cause of its own, because langchain4j hands the root of a chain to its status mapping; the original
 * is kept as a suppressed exception. Immutable.
 */
public final class RetryAfterHttpException extends HttpException {

    private final Duration retryAfter;

    public RetryAfterHttpException(HttpException original, Duration retryAfter) {
        super(original.statusCode(), original.getMessage());
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        addSuppressed(original);
    }

    /** The wait, already cut to {@link RetryAfter#MAX_RETRY_AFTER}. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
