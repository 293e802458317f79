package dev.coe.gateway;

/** Thrown by {@link ExpertRegistry#expert(ExpertId)} when no expert has that id. */
public final class UnknownExpertException extends RuntimeException {

    private final String expertId;

    public UnknownExpertException(String expertId) {
        super("no expert with id '" + expertId + "'");
        this.expertId = expertId;
    }

    public String expertId() {
        return expertId;
    }
}
