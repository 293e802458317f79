package dev.coe.evaluation.optimize;

import java.util.Objects;

/**
 * What one expert costs per token. Immutable.
 *
 * @param id              the expert id, as in {@code config/experts.yaml} or the evaluation report
 * @param activeParamsB   billions of active parameters, or null when unknown (closed models)
 * @param pricePerMTokens US dollars per million tokens, or null when not priced
 */
public record ExpertCost(String id, Double activeParamsB, Double pricePerMTokens) {

    public ExpertCost {
        Objects.requireNonNull(id, "id");
        requireNonNegative(id, "activeParamsB", activeParamsB);
        requireNonNegative(id, "pricePerMTokens", pricePerMTokens);
    }

    private static void requireNonNegative(String id, String field, Double value) {
        if (value != null && !(value >= 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(field + " of expert " + id + " must be a finite number >= 0, but was " + value);
        }
    }
}
