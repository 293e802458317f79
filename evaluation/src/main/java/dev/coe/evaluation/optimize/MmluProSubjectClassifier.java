package dev.coe.evaluation.optimize;

import dev.coe.classifier.Category;
import dev.coe.classifier.Taxonomy;
import dev.coe.classifier.embedding.EmbeddingLogisticClassifier;
import dev.coe.classifier.training.LabelledExample;
import dev.coe.classifier.training.TrainingData;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The project's classifier trained for MMLU-Pro's own 14-subject taxonomy (taxonomies are configuration, so a suite
 * may bring its own): the same embedding and logistic head as the router's, trained only on training-split questions.
 * Stateless.
 */
public final class MmluProSubjectClassifier {

    private MmluProSubjectClassifier() {
    }

    /** The category id of a subject: lower case, spaces as dashes ({@code computer science} → {@code computer-science}). */
    public static String categoryOf(String subject) {
        return subject.strip().toLowerCase(Locale.ROOT).replace(' ', '-');
    }

    /** The subjects of {@code questions} as a taxonomy, in alphabetical order. */
    public static Taxonomy taxonomy(List<MmluProObservations.Question> questions) {
        return Taxonomy.of(questions.stream().map(q -> categoryOf(q.subject())).distinct().sorted()
                .map(id -> new Category(id, "MMLU-Pro subject " + id)).toList());
    }

    /**
     * Trains on at most {@code perSubject} training-split questions of each subject, taken at evenly spaced
     * positions in numeric id order (deterministic); repeated question texts are kept once.
     *
     * @throws IllegalArgumentException if an evaluation-split question would be trained on (a bug, never data)
     */
    public static EmbeddingLogisticClassifier train(List<MmluProObservations.Question> questions, EmbeddingModel model,
                                                    int perSubject) {
        Map<String, List<MmluProObservations.Question>> bySubject = new TreeMap<>();
        for (MmluProObservations.Question q : questions) {
            if (!q.evaluationSplit()) {
                bySubject.computeIfAbsent(categoryOf(q.subject()), k -> new ArrayList<>()).add(q);
            }
        }
        List<LabelledExample> examples = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        bySubject.forEach((subject, list) -> {
            list.sort(Comparator.comparingInt(q -> Integer.parseInt(q.id())));
            int n = Math.min(perSubject, list.size());
            for (int i = 0; i < n; i++) {
                MmluProObservations.Question q = list.get((int) ((long) i * list.size() / n));
                if (q.evaluationSplit()) {
                    throw new IllegalArgumentException("evaluation-split question " + q.id() + " selected for training");
                }
                if (seen.add(q.prompt())) {
                    examples.add(new LabelledExample(q.prompt(), subject, "mmlu_pro:" + q.id()));
                }
            }
        });
        TrainingData data = TrainingData.of(taxonomy(questions), examples);
        return EmbeddingLogisticClassifier.train(model, EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID, data,
                EmbeddingLogisticClassifier.DEFAULT_L2);
    }

    /** The label function for {@link MmluProObservations#load}: every subject is its own category. */
    public static Optional<String> trueCategory(String subject) {
        return Optional.of(categoryOf(subject));
    }
}
