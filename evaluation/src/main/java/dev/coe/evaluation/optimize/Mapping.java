package dev.coe.evaluation.optimize;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One category → expert mapping with its expected average cost and quality on the split it was fitted on (traffic
 * share weighted). Those two figures are in-sample; {@link HeldOutEvaluation} gives the ones to report. Immutable.
 *
 * @param expertByCategory the chosen expert of every category, in taxonomy order
 * @param cost             Σ share(c) · cost(expert(c)), in the frontier's cost basis
 * @param quality          Σ share(c) · quality(c, expert(c)) on the fitting split
 */
public record Mapping(Map<String, String> expertByCategory, double cost, double quality) {

    public Mapping {
        expertByCategory = Collections.unmodifiableMap(new LinkedHashMap<>(expertByCategory));
    }

    /** The expert for {@code category}. @throws IllegalArgumentException when the mapping has none */
    public String expert(String category) {
        String expert = expertByCategory.get(category);
        if (expert == null) {
            throw new IllegalArgumentException("mapping has no expert for category '" + category + "'");
        }
        return expert;
    }
}
