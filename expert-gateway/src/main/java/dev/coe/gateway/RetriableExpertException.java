package dev.coe.gateway;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that another try, or another expert, may not meet: the expert could not be reached,
 * answered 429 or 5xx, timed out, or dropped the connection. Immutable.
 */
public final class RetriableExpertException extends ExpertException {

    /**
     * What went wrong, so the API can pick the matching status (503, 504, 429). The last three are the gateway's
     * own refusals, made without calling the expert: its circuit breaker is open, its bulkhead is full, or its
     * engine reports a queue over the configured limit.
     */
    public enum Reason {
        UNREACHABLE, RATE_LIMITED, SERVER_ERROR, TIMEOUT, CONNECTION_DROPPED, DISABLED,
        CIRCUIT_OPEN, BULKHEAD_FULL, OVERLOADED;

        /** True for a refusal by the gateway itself: nothing was sent to the expert. */
        public boolean refusedByGateway() {
            return this == CIRCUIT_OPEN || this == BULKHEAD_FULL || this == OVERLOADED || this == DISABLED;
        }
    }

    private final Reason reason;
    private final Duration retryAfter;

    public RetriableExpertException(ExpertId expertId, Reason reason, String message, Duration retryAfter, Throwable cause) {
        this(expertId, null, reason, message, retryAfter, cause);
    }

    private RetriableExpertException(ExpertId expertId, String category, Reason reason, String message, Duration retryAfter,
                                     Throwable cause) {
        super(expertId, category, message, cause);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    public RetriableExpertException(ExpertId expertId, Reason reason, String message, Throwable cause) {
        this(expertId, reason, message, null, cause);
    }

    @Override
    public RetriableExpertException inCategory(String category) {
        return names(category) ? this : copied(new RetriableExpertException(expertId(), category, reason, detail(), retryAfter, getCause()));
    }

    public Reason reason() {
        return reason;
    }

    /** The wait the expert asked for (from a {@code Retry-After} header), if it named one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
