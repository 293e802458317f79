package dev.coe.router.routing;

import dev.coe.gateway.ExpertId;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one category goes: an ordered chain of experts, tried first to last, and the expert to use
 * instead when the classifier is not sure enough of this category. Immutable.
 *
 * @param category  category id from the taxonomy
 * @param chain     experts in order of preference; never empty
 * @param threshold confidence in [0, 1] below which the classification counts as uncertain
 * @param fallback  expert tried first when uncertain (then the table's fallback chain); may be null
 * @param cache     what requests confidently put in this category do with the response cache
 */
public record RoutingRule(String category, List<ExpertId> chain, double threshold, ExpertId fallback,
                          CategoryCachePolicy cache) {

    public RoutingRule(String category, List<ExpertId> chain, double threshold, ExpertId fallback) {
        this(category, chain, threshold, fallback, CategoryCachePolicy.DETERMINISTIC);
    }

    public RoutingRule {
        Objects.requireNonNull(category, "category");
        cache = cache == null ? CategoryCachePolicy.DETERMINISTIC : cache;
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain of category '" + category + "' must not be empty");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold of category '" + category + "' must be between 0 and 1, but was " + threshold);
        }
    }

    public Optional<ExpertId> findFallback() {
        return Optional.ofNullable(fallback);
    }
}
