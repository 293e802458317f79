package dev.coe.classifier.evaluation;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How MMLU-Pro rows ({@code shared/data/mmlu_pro/questions.jsonl.gz}) become labelled prompts for an
 * evaluation: the evaluation split, each subject mapped to a routing category, and the question
 * shown with its options as a user would paste it. Stateless and thread-safe.
 * <p>
 * Subjects: math → math; physics, chemistry, biology, engineering, health, computer science → stem;
 * law, history, philosophy, economics, psychology, business → humanities; "other" has no category.
 * Computer science goes to stem, not coding: its questions are knowledge and theory quizzes (the
 * steps of a binary search, DES key lengths, overfitting, scheduling), not requests to write or fix
 * code, and the training examples map it the same way ({@code config/classifier/README.md}).
 */
public final class MmluProSubjects {

    private static final Map<String, String> CATEGORY_OF_SUBJECT = Map.ofEntries(
            Map.entry("math", "math"),
            Map.entry("physics", "stem"), Map.entry("chemistry", "stem"), Map.entry("biology", "stem"),
            Map.entry("engineering", "stem"), Map.entry("health", "stem"), Map.entry("computer science", "stem"),
            Map.entry("law", "humanities"), Map.entry("history", "humanities"), Map.entry("philosophy", "humanities"),
            Map.entry("economics", "humanities"), Map.entry("psychology", "humanities"),
            Map.entry("business", "humanities"));

    private MmluProSubjects() {
    }

    /** The routing category of an MMLU-Pro subject, or empty for "other" and unknown subjects. */
    public static Optional<String> category(String subject) {
        return Optional.ofNullable(CATEGORY_OF_SUBJECT.get(subject));
    }

    /**
     * Whether a question is in the evaluation split ({@code int(question_id) % 5 == 0}), which must
     * never be trained on ({@code shared/data/README.md}).
     *
     * @throws NumberFormatException if the id is not an integer
     */
    public static boolean isEvaluationSplit(String questionId) {
        return Integer.parseInt(questionId.strip()) % 5 == 0;
    }

    /** The question followed by its options lettered A., B., ...: many questions are incomplete without them. */
    public static String prompt(String question, List<String> options) {
        StringBuilder text = new StringBuilder(question.strip());
        for (int i = 0; i < options.size(); i++) {
            text.append(i == 0 ? "\n\n" : "\n").append((char) ('A' + i)).append(". ").append(options.get(i).strip());
        }
        return text.toString();
    }
}
