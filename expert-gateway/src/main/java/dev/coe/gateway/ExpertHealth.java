package dev.coe.gateway;

import java.util.Objects;

/**
 * The outcome of one health check of an expert.
 *
 * @param status UP when the expert answered, DOWN when it could not be reached or refused us,
 *               DISABLED when it is switched off in config (for example a hosted expert without its key)
 * @param detail a human-readable reason, never containing a secret
 */
public record ExpertHealth(Status status, String detail) {

    public enum Status { UP, DOWN, DISABLED }

    public ExpertHealth {
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
    }

    public static ExpertHealth up(String detail) {
        return new ExpertHealth(Status.UP, detail);
    }

    public static ExpertHealth down(String detail) {
        return new ExpertHealth(Status.DOWN, detail);
    }

    public static ExpertHealth disabled(String detail) {
        return new ExpertHealth(Status.DISABLED, detail);
    }
}
