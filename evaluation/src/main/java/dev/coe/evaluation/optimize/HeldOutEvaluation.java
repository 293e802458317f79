package dev.coe.evaluation.optimize;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Scores a mapping on prompts it was not fitted on: each prompt goes to the expert its category maps to, and earns
 * that expert's recorded score, exactly as the router would route it. These are the figures to report. Stateless.
 */
public final class HeldOutEvaluation {

    /**
     * @param quality  mean score over the prompts whose routed expert has a recorded score, with its standard error
     * @param cost     mean cost per prompt of the routed experts (the traffic of this split, not the fitting split's)
     * @param unscored prompts left out of {@code quality} because the routed expert has no score on them
     */
    public record Result(Estimate quality, Estimate cost, int unscored) {
    }

    private HeldOutEvaluation() {
    }

    /** Routes by the predicted category, as the router does. */
    public static Result evaluate(Mapping mapping, List<Observation> heldOut, Map<String, Double> costs) {
        return evaluate(mapping, heldOut, costs, Observation::predictedCategory);
    }

    /**
     * Routes by {@code categoryOf}; {@link Observation#trueCategory()} gives the known-categories baseline, which
     * no router reaches (its classifier is not perfect). Prompts without a category are left out.
     *
     * @throws IllegalArgumentException if the mapping has no expert for a category, or the expert no cost
     */
    public static Result evaluate(Mapping mapping, List<Observation> heldOut, Map<String, Double> costs,
                                  Function<Observation, String> categoryOf) {
        Estimate.Accumulator quality = new Estimate.Accumulator();
        Estimate.Accumulator cost = new Estimate.Accumulator();
        int unscored = 0;
        for (Observation o : heldOut) {
            String category = categoryOf.apply(o);
            if (category == null) {
                continue;
            }
            String expert = mapping.expert(category);
            Double price = costs.get(expert);
            if (price == null) {
                throw new IllegalArgumentException("expert '" + expert + "' has no cost");
            }
            cost.add(price);
            Double score = o.scores().get(expert);
            if (score == null) {
                unscored++;
            } else {
                quality.add(score);
            }
        }
        return new Result(quality.estimate(), cost.estimate(), unscored);
    }

    /**
     * The paired difference {@code a − b} over prompts where both routed experts were scored: its standard error is
     * much smaller than either mean's, since both are measured on the same prompts.
     */
    public static Estimate difference(Mapping a, Mapping b, List<Observation> heldOut) {
        Estimate.Accumulator diff = new Estimate.Accumulator();
        for (Observation o : heldOut) {
            Double x = o.scores().get(a.expert(o.predictedCategory()));
            Double y = o.scores().get(b.expert(o.predictedCategory()));
            if (x != null && y != null) {
                diff.add(x - y);
            }
        }
        return diff.estimate();
    }
}
