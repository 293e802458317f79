package dev.coe.router.routing;

import dev.coe.gateway.ExpertId;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code config/routing.yaml}. Every problem is reported with the category or field it is
 * in, so that a typo fails start-up instead of misrouting traffic.
 */
public final class RoutingTableLoader {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Threshold applied to a rule that does not set one. */
    public static final double DEFAULT_THRESHOLD = 0.0;

    private RoutingTableLoader() {
    }

    record RoutingFile(List<String> routerModels, List<String> fallbackChain, Double defaultThreshold, List<RuleEntry> rules) {
    }

    record RuleEntry(String category, List<String> chain, Double threshold, String fallback, String cache) {
    }

    /**
     * @param knownExperts ids that may be referenced
     * @param categories   category ids of the taxonomy
     * @throws IllegalArgumentException naming the category and field that is wrong
     */
    public static RoutingTable parse(String yaml, Set<ExpertId> knownExperts, Set<String> categories) {
        RoutingFile file;
        try {
            file = YAML.readValue(yaml, RoutingFile.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("routing.yaml is not valid: " + e.getOriginalMessage(), e);
        }
        if (file == null) {
            throw new IllegalArgumentException("routing.yaml is empty");
        }
        double defaultThreshold = file.defaultThreshold() != null ? file.defaultThreshold() : DEFAULT_THRESHOLD;
        Map<String, RoutingRule> rules = new LinkedHashMap<>();
        for (RuleEntry entry : file.rules() == null ? List.<RuleEntry>of() : file.rules()) {
            String category = entry.category();
            if (category == null || !categories.contains(category)) {
                throw new IllegalArgumentException("routing.yaml: rule for unknown category '" + category
                        + "'; categories are " + categories);
            }
            List<ExpertId> chain = ids("chain of category '" + category + "'", entry.chain(), knownExperts);
            ExpertId fallback = entry.fallback() == null ? null
                    : ids("fallback of category '" + category + "'", List.of(entry.fallback()), knownExperts).getFirst();
            double threshold = entry.threshold() != null ? entry.threshold() : defaultThreshold;
            if (rules.put(category, new RoutingRule(category, chain, threshold, fallback, cachePolicy(category, entry.cache()))) != null) {
                throw new IllegalArgumentException("routing.yaml: category '" + category + "' has two rules");
            }
        }
        return new RoutingTable(
                Set.copyOf(file.routerModels() == null ? List.of("auto") : file.routerModels()),
                rules,
                ids("fallback-chain", file.fallbackChain(), knownExperts));
    }

    private static CategoryCachePolicy cachePolicy(String category, String name) {
        try {
            return CategoryCachePolicy.fromConfigName(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("routing.yaml: rule of category '" + category + "': " + e.getMessage(), e);
        }
    }

    private static List<ExpertId> ids(String where, List<String> names, Set<ExpertId> known) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("routing.yaml: " + where + " must name at least one expert");
        }
        List<ExpertId> ids = names.stream().map(ExpertId::of).toList();
        for (ExpertId id : ids) {
            if (!known.contains(id)) {
                throw new IllegalArgumentException("routing.yaml: " + where + " names unknown expert '" + id
                        + "'; experts are " + known);
            }
        }
        if (Set.copyOf(ids).size() != ids.size()) {
            throw new IllegalArgumentException("routing.yaml: " + where + " names an expert twice: " + names);
        }
        return ids;
    }
}
