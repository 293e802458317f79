package dev.coe.classifier.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The three suites that the classifier experiments score and that no example is drawn from, read from
 * {@code ../shared/data} (override with {@code -Dcoe.shared.data}) in their own formats: MT-Bench turn 1,
 * arena_bench_v1 with this project's labels, and MMLU-Pro's evaluation split with subjects mapped.
 */
final class HeldOutSuites {

    /** One suite and the name its experiment prints. */
    record Named(String name, EvaluationInput input) {
    }

    private HeldOutSuites() {
    }

    static List<Named> read(List<String> categories) throws IOException {
        Path shared = Path.of(System.getProperty("coe.shared.data", "../shared/data"));
        return List.of(
                new Named("mt-bench", EvaluationInput.read(shared.resolve("mt_bench/question.jsonl"), Optional.empty(), categories)),
                new Named("arena", EvaluationInput.read(shared.resolve("arena_bench_v1/question.jsonl"),
                        Optional.of(Path.of("category-classifier/src/test/resources/arena_bench_v1-labels.csv")), categories)),
                new Named("mmlu-pro", EvaluationInput.read(shared.resolve("mmlu_pro/questions.jsonl.gz"), Optional.empty(), categories)));
    }

    /**
     * Share of the labelled prompts among {@code items} whose prediction is their label (prompts labelled "none" are
     * left out); {@code predicted} gives the prediction for the item at an index.
     */
    static double accuracy(List<EvaluationInput.Item> items, IntFunction<String> predicted) {
        int right = 0;
        int scored = 0;
        for (int i = 0; i < items.size(); i++) {
            Optional<String> expected = items.get(i).expected();
            if (expected.isPresent()) {
                scored++;
                right += predicted.apply(i).equals(expected.get()) ? 1 : 0;
            }
        }
        return (double) right / scored;
    }
}
