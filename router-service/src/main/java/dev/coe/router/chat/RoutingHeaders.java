package dev.coe.router.chat;

import dev.coe.router.routing.RoutingDecision;

import java.util.Locale;
import java.util.function.BiConsumer;

/** Names and formats of the {@code x-coe-*} response headers that say how a request was routed. */
final class RoutingHeaders {

    static final String CATEGORY = "x-coe-category";
    static final String CONFIDENCE = "x-coe-confidence";
    static final String EXPERT = "x-coe-expert";
    static final String ROUTE_MS = "x-coe-route-ms";
    /**
     * Why this chain, as in the {@code routing} object's {@code reason}: {@code category}, {@code uncertain},
     * {@code no_rule}, {@code direct} or {@code classifier_busy}; a streaming client has no {@code routing} object.
     */
    static final String ROUTE_REASON = "x-coe-route-reason";
    static final String ATTEMPTS = "x-coe-attempts";
    static final String SIMULATED = "x-coe-simulated";
    /** {@code hit}, {@code miss} or {@code bypass}: whether the answer came from the response cache. */
    static final String CACHE = "x-coe-cache";

    private RoutingHeaders() {
    }

    /** The headers known before any expert is called. */
    static void decision(RoutingDecision decision, BiConsumer<String, String> header) {
        header.accept(CATEGORY, decision.category());
        header.accept(CONFIDENCE, String.format(Locale.ROOT, "%.4f", decision.confidence()));
        header.accept(ROUTE_MS, String.format(Locale.ROOT, "%.3f", decision.routeMillis()));
        header.accept(ROUTE_REASON, decision.reason().name().toLowerCase(Locale.ROOT));
    }
}
