package dev.coe.gateway;

/**
 * A failure that would repeat on every try: the expert rejected the request (4xx other than 429),
 * the credentials are wrong, or the model does not exist. Carries the upstream status when known.
 */
public final class NonRetriableExpertException extends ExpertException {

    private final int upstreamStatus;

    public NonRetriableExpertException(ExpertId expertId, int upstreamStatus, String message, Throwable cause) {
        this(expertId, null, upstreamStatus, message, cause);
    }

    private NonRetriableExpertException(ExpertId expertId, String category, int upstreamStatus, String message, Throwable cause) {
        super(expertId, category, message, cause);
        this.upstreamStatus = upstreamStatus;
    }

    @Override
    public NonRetriableExpertException inCategory(String category) {
        return names(category) ? this : copied(new NonRetriableExpertException(expertId(), category, upstreamStatus, detail(), getCause()));
    }

    /** The HTTP status the expert answered with, or 0 if the failure did not come from an HTTP answer. */
    public int upstreamStatus() {
        return upstreamStatus;
    }
}
