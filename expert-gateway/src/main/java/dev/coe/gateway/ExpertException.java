package dev.coe.gateway;

/**
 * Why a call to an expert failed. Carries the expert's id so that the router can report every
 * expert it tried. Subclasses say whether another try may help: {@link RetriableExpertException}
 * or {@link NonRetriableExpertException}. Messages never contain secrets.
 */
public abstract sealed class ExpertException extends RuntimeException
        permits RetriableExpertException, NonRetriableExpertException {

    private final ExpertId expertId;

    protected ExpertException(ExpertId expertId, String message, Throwable cause) {
        super(expertId + ": " + message, cause);
        this.expertId = expertId;
    }

    public ExpertId expertId() {
        return expertId;
    }
}
