package dev.coe.evaluation.suite;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The classifier's training prompts ({@code config/classifier/examples.jsonl}), so that no suite prompt the
 * classifier was trained on is scored: such a prompt would flatter routing accuracy. Texts are compared after
 * lower-casing and collapsing whitespace. Immutable and thread-safe.
 */
public final class TrainingDataGuard {

    private final Set<String> prompts;

    private TrainingDataGuard(Set<String> prompts) {
        this.prompts = Set.copyOf(prompts);
    }

    /** @throws InvalidSuiteException when the file is missing or a line is not JSON */
    public static TrainingDataGuard from(Path examplesJsonl) {
        Set<String> prompts = new HashSet<>();
        SuiteLoader.forEachJsonLine(examplesJsonl, n -> prompts.add(normalize(n.path("text").asText())));
        return new TrainingDataGuard(prompts);
    }

    public static TrainingDataGuard of(Set<String> prompts) {
        Set<String> normalized = new HashSet<>();
        prompts.forEach(p -> normalized.add(normalize(p)));
        return new TrainingDataGuard(normalized);
    }

    public boolean contains(String prompt) {
        return prompts.contains(normalize(prompt));
    }

    public int size() {
        return prompts.size();
    }

    private static String normalize(String text) {
        return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
