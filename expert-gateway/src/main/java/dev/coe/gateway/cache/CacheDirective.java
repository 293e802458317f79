package dev.coe.gateway.cache;

import java.util.Locale;

/**
 * What the client asked of the cache for one request, from its {@code Cache-Control} and {@code x-coe-cache}
 * headers. {@link CachePolicy} combines it with the request to decide whether to read and whether to store.
 */
public enum CacheDirective {
    /** Read and store, but only when the request is deterministic (see {@link CachePolicy#deterministic}). */
    DEFAULT,
    /** The client opted in ({@code x-coe-cache: force}): read and store even when the request is not deterministic. */
    FORCE,
    /** {@code Cache-Control: no-cache} or {@code x-coe-cache: refresh}: never read, but store the fresh answer. */
    REFRESH,
    /** {@code Cache-Control: no-store} or {@code x-coe-cache: bypass}: neither read nor store. */
    BYPASS;

    /** Name of the request header by which a client steers the cache. */
    public static final String HEADER = "x-coe-cache";

    /**
     * Parses the request's headers; either may be null (absent). When they disagree the most restrictive
     * wins: a bypass ({@code no-store} or {@code bypass}) over a refresh ({@code no-cache} or {@code refresh})
     * over {@code force}. {@code Cache-Control} is a comma-separated list whose directives are matched
     * case-insensitively; directives other than {@code no-cache} and {@code no-store} are ignored.
     *
     * @param cacheControl the {@code Cache-Control} header, or null
     * @param coeCache     the {@code x-coe-cache} header ({@code force}, {@code refresh} or {@code bypass},
     *                     case-insensitive), or null; a blank value counts as absent
     * @throws IllegalArgumentException if {@code x-coe-cache} has any other value; the message names it
     */
    public static CacheDirective fromHeaders(String cacheControl, String coeCache) {
        CacheDirective fromCoe = fromCoeCache(coeCache);
        CacheDirective fromControl = fromCacheControl(cacheControl);
        // The enum is declared from least to most restrictive, so the stronger of the two is the later one.
        return fromCoe.ordinal() >= fromControl.ordinal() ? fromCoe : fromControl;
    }

    private static CacheDirective fromCoeCache(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "force" -> FORCE;
            case "refresh" -> REFRESH;
            case "bypass" -> BYPASS;
            default -> throw new IllegalArgumentException(
                    HEADER + " must be one of force, refresh or bypass, but was '" + value + "'");
        };
    }

    private static CacheDirective fromCacheControl(String value) {
        if (value == null) {
            return DEFAULT;
        }
        CacheDirective strongest = DEFAULT;
        for (String part : value.split(",")) {
            // A directive may carry an argument (no-cache="field"); only its name matters for a request.
            String name = part.split("=", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (name.equals("no-store")) {
                return BYPASS;
            }
            if (name.equals("no-cache")) {
                strongest = REFRESH;
            }
        }
        return strongest;
    }
}
