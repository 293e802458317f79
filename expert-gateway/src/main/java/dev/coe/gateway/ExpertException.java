package dev.coe.gateway;

import java.util.Optional;

/**
 * Why a call to an expert failed. Carries the expert's id, and the category of the request when the call was made for
 * one, so that the router can report every expert it tried and a log line says which route failed. Subclasses say
 * whether another try may help: {@link RetriableExpertException} or {@link NonRetriableExpertException}. Messages
 * never contain secrets. Immutable: {@link #inCategory(String)} returns a copy.
 */
public abstract sealed class ExpertException extends RuntimeException
        permits RetriableExpertException, NonRetriableExpertException {

    private final ExpertId expertId;
    private final String category;
    private final String detail;

    protected ExpertException(ExpertId expertId, String message, Throwable cause) {
        this(expertId, null, message, cause);
    }

    /** @param category the request's category, or null for a call made without one (a client named the expert) */
    protected ExpertException(ExpertId expertId, String category, String message, Throwable cause) {
        super(expertId + (category == null ? "" : " (category '" + category + "')") + ": " + message, cause);
        this.expertId = expertId;
        this.category = category;
        this.detail = message;
    }

    public ExpertId expertId() {
        return expertId;
    }

    /** The category the failed call was made for; empty for a call made without one. */
    public Optional<String> category() {
        return Optional.ofNullable(category);
    }

    /** What went wrong, without the expert id and category that {@link #getMessage()} starts with. */
    public String detail() {
        return detail;
    }

    /**
     * The same failure, for a call made for {@code category}: same type, reason, cause and stack trace. Returns this
     * exception when it already names that category or when {@code category} is null.
     */
    public abstract ExpertException inCategory(String category);

    /** Whether {@link #inCategory(String)} has nothing to change. */
    protected final boolean names(String category) {
        return category == null || category.equals(this.category);
    }

    /** Gives a copy made by {@link #inCategory(String)} this exception's stack trace and suppressed exceptions. */
    protected final <E extends ExpertException> E copied(E copy) {
        copy.setStackTrace(getStackTrace());
        for (Throwable suppressed : getSuppressed()) {
            copy.addSuppressed(suppressed);
        }
        return copy;
    }
}
