package dev.coe.classifier;

import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The classifier's answer for one prompt: the most likely category, its probability, and the
 * whole distribution over categories (probabilities summing to 1, most likely first).
 * Immutable and thread-safe.
 *
 * @param category      id of the most likely category
 * @param confidence    probability of {@code category}, in [0, 1]
 * @param distribution  probability of every category, ordered from most to least likely
 * @param foreignScript whether the prompt is mostly written in a script other than Latin ({@link Scripts}), which the
 *                      English embedding model was not trained on: its distribution is then reported as computed,
 *                      but not calibrated (on 48 such prompts, right 35 % of the time at a mean confidence of 0.63)
 */
public record Classification(String category, double confidence, Map<String, Double> distribution,
                             boolean foreignScript) {

    public Classification {
        Objects.requireNonNull(category, "category");
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1, but was " + confidence);
        }
        distribution = Collections.unmodifiableMap(new LinkedHashMap<>(distribution));
    }

    /** A classification of a prompt in Latin script. */
    public Classification(String category, double confidence, Map<String, Double> distribution) {
        this(category, confidence, distribution, false);
    }

    /**
     * Whether the classifier is too unsure of its answer for a route that requires {@code threshold}:
     * {@code confidence < threshold}, or a prompt in a foreign script at any threshold above 0, since its confidence
     * says nothing. The confidence is calibrated, so a threshold of 0.7 means "right at least about 70% of the time".
     *
     * @throws IllegalArgumentException unless {@code 0 <= threshold <= 1}
     */
    public boolean isUncertain(double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be between 0 and 1, but was " + threshold);
        }
        return confidence < threshold || (foreignScript && threshold > 0);
    }

    /** This classification, marked as one of a prompt in a foreign script or not. */
    public Classification withForeignScript(boolean foreign) {
        return foreign == foreignScript ? this : new Classification(category, confidence, distribution, foreign);
    }

    /**
     * The classification for a probability vector over categories: most likely first, ties in the given order
     * (a stable sort), so the answer is deterministic.
     *
     * @param ids           category ids, in taxonomy order
     * @param probabilities one probability per id, summing to 1
     */
    public static Classification of(List<String> ids, double[] probabilities) {
        if (ids.size() != probabilities.length || ids.isEmpty()) {
            throw new IllegalArgumentException("need one probability per category, but got " + probabilities.length
                    + " for " + ids.size() + " categories");
        }
        Integer[] order = new Integer[probabilities.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> probabilities[i]).reversed());
        Map<String, Double> distribution = new LinkedHashMap<>();
        for (int i : order) {
            distribution.put(ids.get(i), probabilities[i]);
        }
        return new Classification(ids.get(order[0]), probabilities[order[0]], distribution);
    }

    /** A classification that puts all probability on one category (used for fixed routes and tests). */
    public static Classification certain(String category) {
        return new Classification(category, 1.0, Map.of(category, 1.0));
    }
}
