package dev.coe.evaluation.suite;

import java.util.List;
import java.util.Map;

/**
 * One prompt of a suite: its user turns, the category the suite labels it with (null when it has none),
 * reference answers per turn (null when none), and per recorded model its answer and its score for each turn
 * (a null score is a missing grade). Immutable.
 */
public record SuiteItem(String id, String trueCategory, List<String> turns, List<String> reference,
                        Map<String, List<String>> answers, Map<String, List<Double>> scores) {

    public SuiteItem {
        turns = List.copyOf(turns);
        reference = reference == null ? null : List.copyOf(reference);
        answers = Map.copyOf(answers);
        scores = Map.copyOf(scores);
    }

    /** The recorded answer of {@code model} for turn {@code turn} (1-based), or null when not recorded. */
    public String answer(String model, int turn) {
        List<String> a = answers.get(model);
        return a == null || a.size() < turn ? null : a.get(turn - 1);
    }

    /** The recorded score of {@code model} for turn {@code turn} (1-based), or null when missing. */
    public Double score(String model, int turn) {
        List<Double> s = scores.get(model);
        return s == null || s.size() < turn ? null : s.get(turn - 1);
    }
}
