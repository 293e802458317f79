package dev.coe.evaluation.optimize;

import java.util.OptionalDouble;

/**
 * What a budget is counted in. An expert without a figure in the chosen basis (a closed model has no public active
 * parameter count) cannot be priced, so the optimizer leaves it out and says so, rather than treating it as free.
 */
public enum CostBasis {

    /** Billions of active parameters per token: the Composition-of-Experts paper's budget. */
    ACTIVE_PARAMS("active parameters (B)"),

    /** US dollars per million tokens, as {@code config/experts.yaml} states prices. */
    PRICE("USD per million tokens");

    private final String unit;

    CostBasis(String unit) {
        this.unit = unit;
    }

    public String unit() {
        return unit;
    }

    /** The expert's cost in this basis, or empty when it has none. */
    public OptionalDouble costOf(ExpertCost expert) {
        Double value = this == ACTIVE_PARAMS ? expert.activeParamsB() : expert.pricePerMTokens();
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
}
