package dev.coe.router.routing;

import dev.coe.gateway.ExpertId;

import java.util.List;
import java.util.Map;

/**
 * How one request was routed, before any expert was called. Immutable; it is logged, returned in
 * the {@code x-coe-*} headers and in the response's {@code routing} object.
 *
 * @param requestedModel the {@code model} the client sent
 * @param category       the category the classifier chose, or {@link #NO_CATEGORY} when the client named an expert or
 *                       the classifier was too busy to classify
 * @param confidence     the classifier's probability for {@code category} (1 for a direct call, 0 when not classified)
 * @param distribution   the classifier's full distribution (empty for a direct call)
 * @param chain          experts to try, in order
 * @param reason         why this chain: {@link Reason}
 * @param routeNanos     time spent deciding (classification and table lookup)
 * @param cache          the category's cache policy ({@link CategoryCachePolicy#DETERMINISTIC} unless its rule sets one)
 */
public record RoutingDecision(String requestedModel, String category, double confidence, Map<String, Double> distribution,
                              List<ExpertId> chain, Reason reason, long routeNanos, CategoryCachePolicy cache) {

    public RoutingDecision(String requestedModel, String category, double confidence, Map<String, Double> distribution,
                           List<ExpertId> chain, Reason reason, long routeNanos) {
        this(requestedModel, category, confidence, distribution, chain, reason, routeNanos, CategoryCachePolicy.DETERMINISTIC);
    }

    /** Category reported when nothing was classified: the client named an expert, or the classifier was busy. */
    public static final String NO_CATEGORY = "none";

    public enum Reason {
        /** The category's own chain. */
        CATEGORY,
        /** The classifier was below the category's threshold; the fallback chain was used. */
        UNCERTAIN,
        /**
         * The prompt is mostly in a script other than Latin, which the classifier's English model does not read, so
         * its confidence says nothing; the fallback chain was used as for an uncertain one.
         */
        FOREIGN_SCRIPT,
        /** The category has no rule; the fallback chain was used. */
        NO_RULE,
        /** The client named an expert as its model. */
        DIRECT,
        /**
         * The classifier had more work than it could start in time ({@link ClassifierBusyException}); the fallback
         * chain was used without a classification.
         */
        CLASSIFIER_BUSY
    }

    public RoutingDecision {
        distribution = Map.copyOf(distribution);
        chain = List.copyOf(chain);
        cache = cache == null ? CategoryCachePolicy.DETERMINISTIC : cache;
    }

    public double routeMillis() {
        return routeNanos / 1_000_000.0;
    }
}
