package dev.coe.gateway;

/**
 * What one call to an expert costs, as facts the routing optimizer can weigh. Every field is
 * optional (null when unknown); hosted models usually publish prices, open models a parameter count.
 *
 * @param activeParamsBillions   parameters active per token, in billions (for a sparse MoE, the active experts only)
 * @param inputUsdPerMillion     price of one million prompt tokens in US dollars
 * @param outputUsdPerMillion    price of one million completion tokens in US dollars
 */
public record Cost(Double activeParamsBillions, Double inputUsdPerMillion, Double outputUsdPerMillion) {

    public static final Cost UNKNOWN = new Cost(null, null, null);

    public Cost {
        requireNonNegative("activeParamsBillions", activeParamsBillions);
        requireNonNegative("inputUsdPerMillion", inputUsdPerMillion);
        requireNonNegative("outputUsdPerMillion", outputUsdPerMillion);
    }

    private static void requireNonNegative(String name, Double value) {
        if (value != null && !(value >= 0)) {
            throw new IllegalArgumentException(name + " must be >= 0, but was " + value);
        }
    }
}
