package dev.coe.router.routing;

import dev.coe.classifier.Classification;
import dev.coe.gateway.ExpertId;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Step two of CoE routing: category → ordered expert chain. Immutable and thread-safe, so a request
 * keeps the table it started with even if a new one is swapped in meanwhile.
 *
 * @param routerModels  model names that mean "route for me" (e.g. {@code auto})
 * @param rules         one rule per category
 * @param fallbackChain experts used for uncertain classifications and for categories without a rule
 */
public record RoutingTable(Set<String> routerModels, Map<String, RoutingRule> rules, List<ExpertId> fallbackChain) {

    public RoutingTable {
        routerModels = Set.copyOf(routerModels);
        if (routerModels.isEmpty()) {
            throw new IllegalArgumentException("routing table needs at least one router model (e.g. 'auto')");
        }
        rules = Map.copyOf(new LinkedHashMap<>(rules));
        fallbackChain = List.copyOf(fallbackChain);
        if (fallbackChain.isEmpty()) {
            throw new IllegalArgumentException("fallback-chain must name at least one expert");
        }
    }

    public boolean isRouterModel(String model) {
        return routerModels.contains(model);
    }

    public Optional<RoutingRule> findRule(String category) {
        return Optional.ofNullable(rules.get(category));
    }

    /**
     * Step two for one classification: the category's chain, or the fallback chain when the category has no rule
     * or the classification is uncertain under the rule's threshold (its confidence is below it, or the prompt is in
     * a foreign script, whose confidence is not calibrated). Pure, so the admin API's dry run gives the same answer as
     * a real request on the same table.
     */
    public Selection select(Classification classification) {
        Optional<RoutingRule> rule = findRule(classification.category());
        if (rule.isEmpty()) {
            return new Selection(uncertainChain(null), RoutingDecision.Reason.NO_RULE, CategoryCachePolicy.DETERMINISTIC);
        }
        if (classification.isUncertain(rule.get().threshold())) {
            // An uncertain category is not trusted with its cache policy either.
            RoutingDecision.Reason reason = classification.confidence() < rule.get().threshold()
                    ? RoutingDecision.Reason.UNCERTAIN : RoutingDecision.Reason.FOREIGN_SCRIPT;
            return new Selection(uncertainChain(rule.get()), reason, CategoryCachePolicy.DETERMINISTIC);
        }
        return new Selection(rule.get().chain(), RoutingDecision.Reason.CATEGORY, rule.get().cache());
    }

    /** Step two without a classification (the classifier was too busy): the fallback chain, cached as usual. */
    public Selection unclassified() {
        return new Selection(fallbackChain, RoutingDecision.Reason.CLASSIFIER_BUSY, CategoryCachePolicy.DETERMINISTIC);
    }

    /** The chain chosen for one classification, and why. Immutable. */
    public record Selection(List<ExpertId> chain, RoutingDecision.Reason reason, CategoryCachePolicy cache) {
        public Selection {
            chain = List.copyOf(chain);
        }
    }

    /** The chain for an uncertain classification: the rule's fallback first, then the table's fallback chain. */
    List<ExpertId> uncertainChain(RoutingRule rule) {
        List<ExpertId> chain = new ArrayList<>();
        if (rule != null) {
            rule.findFallback().ifPresent(chain::add);
        }
        for (ExpertId id : fallbackChain) {
            if (!chain.contains(id)) {
                chain.add(id);
            }
        }
        return chain;
    }
}
