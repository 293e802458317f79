package dev.coe.evaluation.suite;

/**
 * One expert of a suite: the router's expert id, the recorded model behind it in replay mode, and its cost.
 * Closed models have no public size, so {@code activeParamsB} is null for them; {@code pricePerMTokens} is a
 * documented list price (USD per million output tokens) where the suite file gives one, else null.
 */
public record ExpertSpec(String id, String model, Double activeParamsB, Double pricePerMTokens) {

    public ExpertSpec {
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new InvalidSuiteException("expert id must be letters, digits, '.', '_' or '-', but was " + id);
        }
        if (model == null || model.isBlank()) {
            throw new InvalidSuiteException("expert " + id + ": model must be set");
        }
    }

    /** Open-weights models have a published number of active parameters. */
    public boolean isOpen() {
        return activeParamsB != null;
    }
}
