package dev.coe.gateway.cache;

import java.util.Locale;

/** What the response cache did for one request, as reported to the client and in the routing decision. */
public enum CacheStatus {
    /** Answered from a stored answer, or from another caller's identical call that was in flight. */
    HIT,
    /** The expert was called, and its answer stored when the request allowed it. */
    MISS,
    /** The cache took no part: the request was not cacheable, or the client asked to bypass it. */
    BYPASS;

    /** The value for the {@code x-coe-cache} response header: {@code hit}, {@code miss} or {@code bypass}. */
    public String headerValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
