package dev.coe.classifier.cli;

import dev.coe.classifier.Classification;
import dev.coe.classifier.Taxonomy;
import dev.coe.classifier.Turn;
import dev.coe.classifier.embedding.EmbeddingCentroidClassifier;
import dev.coe.classifier.embedding.EmbeddingLogisticClassifier;
import dev.coe.classifier.lexical.HashedNgrams;
import dev.coe.classifier.training.CalibratedTraining;
import dev.coe.classifier.training.SoftmaxRegression;
import dev.coe.classifier.training.TrainingData;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Measures, on prompts from outside this repository, what a lexical first stage in front of the router's classifier
 * would do: a softmax regression on hashed n-grams ({@link HashedNgrams}), fitted and calibrated (5-fold temperature)
 * on the training examples, answers alone when its confidence reaches a threshold; the embedding classifier answers
 * the rest. Prints, per suite, the accuracy of each stage alone and of the cascade at several thresholds, with the
 * share answered lexically and the accuracy there. An experiment, not a test: the module README records its outcome.
 * <pre>
 * ./mvnw -q -pl category-classifier exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.coe.classifier.cli.LexicalCascadeExperiment
 * </pre>
 * Run from the repository root; reads {@code config/} and {@code ../shared/data} (override with {@code -Dcoe.shared.data}).
 */
public final class LexicalCascadeExperiment {

    private static final int BUCKETS = 2048;
    private static final double[] L2 = {0.3, 1.0, 3.0};
    private static final double[] THRESHOLDS = {0.7, 0.8, 0.9, 0.95};

    private record Suite(String name, List<EvaluationInput.Item> items, String[] embedded) {
    }

    private LexicalCascadeExperiment() {
    }

    public static void main(String[] args) throws IOException {
        Path config = Path.of("config");
        Taxonomy taxonomy = Taxonomy.load(config.resolve(EmbeddingCentroidClassifier.CATEGORIES_FILE));
        TrainingData data = TrainingData.load(config.resolve(EmbeddingCentroidClassifier.EXAMPLES_FILE), taxonomy);
        EmbeddingLogisticClassifier embedding = EmbeddingLogisticClassifier.fromConfig(config);
        List<Suite> suites = new ArrayList<>();
        for (HeldOutSuites.Named named : HeldOutSuites.read(taxonomy.ids())) {
            suites.add(suite(named.name(), named.input(), embedding));
        }

        float[][] x = data.examples().stream().map(e -> HashedNgrams.features(e.text(), BUCKETS)).toArray(float[][]::new);
        int[] y = data.examples().stream().mapToInt(e -> taxonomy.ids().indexOf(e.category())).toArray();
        for (double l2 : L2) {
            CalibratedTraining.Result lexical = CalibratedTraining.train(x, y, taxonomy.size(), l2, CalibratedTraining.DEFAULT_FOLDS);
            System.out.printf(Locale.ROOT, "lexical L2 %s: temperature %.3f, cross-validated accuracy %.3f%n", l2,
                    lexical.temperature(), lexical.outOfFold().accuracy());
            for (Suite suite : suites) {
                System.out.println(cascadeLine(suite, lexical, taxonomy));
            }
        }
    }

    private static Suite suite(String name, EvaluationInput input, EmbeddingLogisticClassifier embedding) {
        String[] predicted = input.items().stream().map(i -> embedding.classify(i.conversation()).category()).toArray(String[]::new);
        return new Suite(name, input.items(), predicted);
    }

    private static String cascadeLine(Suite suite, CalibratedTraining.Result lexical, Taxonomy taxonomy) {
        int n = suite.items().size();
        String[] words = new String[n];
        double[] confidence = new double[n];
        for (int i = 0; i < n; i++) {
            List<Turn> conversation = suite.items().get(i).conversation();
            double[] p = SoftmaxRegression.softmax(lexical.model().logits(
                    HashedNgrams.features(conversation.getLast().text(), BUCKETS)), lexical.temperature());
            Classification c = Classification.of(taxonomy.ids(), p);
            words[i] = c.category();
            confidence[i] = c.confidence();
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-9s lexical alone %.3f, embedding alone %.3f",
                suite.name(), accuracy(suite, i -> words[i]), accuracy(suite, i -> suite.embedded()[i])));
        for (double t : THRESHOLDS) {
            int scored = 0;
            int answered = 0;
            int answeredRight = 0;
            for (int i = 0; i < n; i++) {
                Optional<String> expected = suite.items().get(i).expected();
                if (expected.isPresent()) {
                    scored++;
                    if (confidence[i] >= t) {
                        answered++;
                        answeredRight += words[i].equals(expected.get()) ? 1 : 0;
                    }
                }
            }
            line.append(String.format(Locale.ROOT, " | p >= %.2f: cascade %.3f, lexical answers %.0f %% (accuracy there %.2f)", t,
                    accuracy(suite, i -> confidence[i] >= t ? words[i] : suite.embedded()[i]),
                    100.0 * answered / scored, answered == 0 ? Double.NaN : (double) answeredRight / answered));
        }
        return line.toString();
    }

    private static double accuracy(Suite suite, java.util.function.IntFunction<String> predicted) {
        return HeldOutSuites.accuracy(suite.items(), predicted);
    }
}
