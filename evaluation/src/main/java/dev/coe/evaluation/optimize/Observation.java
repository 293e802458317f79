package dev.coe.evaluation.optimize;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One scored prompt as the optimizer sees it: the category the classifier predicted for it (what routing keys on),
 * its true category when known, and the score each expert earned or would earn on it. Immutable.
 *
 * @param item              identifies the prompt within its suite, e.g. {@code mmlu-pro:70} or {@code mt-bench:81/1}
 * @param trueCategory      the label of the suite, or null when the suite has none; only used for the oracle baseline
 * @param predictedCategory the classifier's answer on this prompt
 * @param scores            expert id → score; an expert without a recorded score is absent (never a guessed value)
 */
public record Observation(String item, String trueCategory, String predictedCategory, Map<String, Double> scores) {

    public Observation {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(predictedCategory, "predictedCategory of " + item);
        Map<String, Double> copy = new LinkedHashMap<>();
        scores.forEach((expert, score) -> {
            if (score != null) {
                if (!Double.isFinite(score)) {
                    throw new IllegalArgumentException("score of " + expert + " on " + item + " must be finite, but was " + score);
                }
                copy.put(expert, score);
            }
        });
        scores = Collections.unmodifiableMap(copy);
    }

    /** The expert's score on this prompt, or empty when it was not recorded. */
    public OptionalDouble score(String expert) {
        Double score = scores.get(expert);
        return score == null ? OptionalDouble.empty() : OptionalDouble.of(score);
    }

    public Optional<String> findTrueCategory() {
        return Optional.ofNullable(trueCategory);
    }
}
