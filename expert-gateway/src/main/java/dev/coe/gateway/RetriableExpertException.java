package dev.coe.gateway;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that another try, or another expert, may not meet: the expert could not be reached,
 * answered 429 or 5xx, timed out, or dropped the connection. Immutable.
 */
public final class RetriableExpertException extends ExpertException {

    /** What went wrong, so the API can pick the matching status (503, 504, 429). */
    public enum Reason { UNREACHABLE, RATE_LIMITED, SERVER_ERROR, TIMEOUT, CONNECTION_DROPPED, DISABLED }

    private final Reason reason;
    private final Duration retryAfter;

    public RetriableExpertException(ExpertId expertId, Reason reason, String message, Duration retryAfter, Throwable cause) {
        super(expertId, message, cause);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public RetriableExpertException(ExpertId expertId, Reason reason, String message, Throwable cause) {
        this(expertId, reason, message, null, cause);
    }

    public Reason reason() {
        return reason;
    }

    /** The wait the expert asked for (from a {@code Retry-After} header), if it named one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
