package dev.coe.router.admin;

import dev.coe.router.expert.ExpertsFile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The routing configuration as the admin API edits and versions it: what {@code config/routing.yaml} holds, plus the
 * categories' descriptions and the experts routing may use. Immutable; it may be invalid until
 * {@link ConfigValidator} has accepted it (so that every mistake can be reported, not only the first).
 *
 * @param routerModels     model names that mean "route for me"
 * @param fallbackChain    experts for uncertain classifications and categories without a rule
 * @param defaultThreshold confidence below which a classification is uncertain, unless a category sets its own
 * @param categories       one entry per category of the classifier's taxonomy, in taxonomy order
 * @param experts          ids of the defined experts that rules may name; removing one keeps it out of routing
 * @param expertDefinitions the experts themselves, as {@code experts.yaml} defines them; null in versions saved before
 *                          experts were versioned, which keep the experts the router started with
 */
public record RoutingConfig(List<String> routerModels, List<String> fallbackChain, Double defaultThreshold,
                            List<CategoryConfig> categories, List<String> experts, ExpertsFile expertDefinitions) {

    /** A configuration that leaves the experts as they are. */
    public RoutingConfig(List<String> routerModels, List<String> fallbackChain, Double defaultThreshold,
                         List<CategoryConfig> categories, List<String> experts) {
        this(routerModels, fallbackChain, defaultThreshold, categories, experts, null);
    }

    public RoutingConfig {
        routerModels = copy(routerModels);
        fallbackChain = copy(fallbackChain);
        categories = copy(categories);
        experts = copy(experts);
    }

    public Optional<CategoryConfig> findCategory(String id) {
        return categories.stream().filter(c -> c.id() != null && c.id().equals(id)).findFirst();
    }

    /** This configuration with the category of the same id changed by {@code change}. */
    RoutingConfig withCategory(String id, UnaryOperator<CategoryConfig> change) {
        List<CategoryConfig> next = categories.stream().map(c -> id.equals(c.id()) ? change.apply(c) : c).toList();
        return new RoutingConfig(routerModels, fallbackChain, defaultThreshold, next, experts, expertDefinitions);
    }

    RoutingConfig withExperts(List<String> next) {
        return new RoutingConfig(routerModels, fallbackChain, defaultThreshold, categories, next, expertDefinitions);
    }

    RoutingConfig withExpertDefinitions(ExpertsFile next) {
        return new RoutingConfig(routerModels, fallbackChain, defaultThreshold, categories, experts, next);
    }

    /** Where {@code expert} is named (a chain, a fallback, the fallback chain), as field paths; empty when nowhere. */
    List<String> referencesTo(String expert) {
        List<String> places = new ArrayList<>();
        if (fallbackChain.contains(expert)) {
            places.add("fallbackChain");
        }
        for (CategoryConfig c : categories) {
            if (c.chain() != null && c.chain().contains(expert)) {
                places.add("categories[" + c.id() + "].chain");
            }
            if (expert.equals(c.fallback())) {
                places.add("categories[" + c.id() + "].fallback");
            }
        }
        return places;
    }

    /** Copies a list from JSON, keeping nulls in it (the validator reports them) and turning a missing list into an empty one. */
    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
