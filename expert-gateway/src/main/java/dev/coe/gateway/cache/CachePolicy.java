package dev.coe.gateway.cache;

import dev.coe.gateway.ExpertRequest;

import java.util.Objects;

/**
 * Decides whether a request may be answered from the cache and whether its answer may be stored.
 * Stateless and thread-safe.
 * <p>
 * By default only deterministic requests are cached: serving a stored answer to a request that asked for
 * sampling would hide the variety the client asked for. A client can opt in with {@link CacheDirective#FORCE}.
 */
public final class CachePolicy {

    private CachePolicy() {
    }

    /**
     * True when the answer is reproducible: temperature 0 (greedy decoding), or a seed is set. A request that
     * sets neither gets the expert's default temperature, which is rarely 0, so it is not deterministic.
     */
    public static boolean deterministic(ExpertRequest request) {
        Objects.requireNonNull(request, "request");
        return (request.temperature() != null && request.temperature() == 0.0) || request.seed() != null;
    }

    /** Whether this request may be answered from a stored answer (or an identical call in flight). */
    public static boolean mayRead(ExpertRequest request, CacheDirective directive) {
        return switch (Objects.requireNonNull(directive, "directive")) {
            case DEFAULT -> deterministic(request);
            case FORCE -> true;
            case REFRESH, BYPASS -> false;
        };
    }

    /**
     * Whether the answer to this request may be stored. A refresh stores only what a default request would:
     * {@code no-cache} asks for a fresh answer, not for a sampled one to be kept.
     */
    public static boolean mayStore(ExpertRequest request, CacheDirective directive) {
        return switch (Objects.requireNonNull(directive, "directive")) {
            case DEFAULT, REFRESH -> deterministic(request);
            case FORCE -> true;
            case BYPASS -> false;
        };
    }
}
