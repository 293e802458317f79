package dev.coe.classifier.cli;

import dev.coe.classifier.Classification;
import dev.coe.classifier.Taxonomy;
import dev.coe.classifier.embedding.EmbeddingCentroidClassifier;
import dev.coe.classifier.embedding.EmbeddingLogisticClassifier;
import dev.coe.classifier.embedding.OnnxSentenceEmbeddingModel;
import dev.coe.classifier.training.TrainingData;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Measures, on prompts from outside this repository, what a smaller embedding model in front of the router's
 * classifier would do: all-MiniLM-L6-v2 (6 layers, about half of bge-small's forward pass), with the router's own head
 * trained on the same examples, answers alone when its calibrated confidence reaches a threshold; the router's
 * bge-small classifier answers the rest. Prints, per suite, each classifier's accuracy alone and, per threshold, the
 * cascade's accuracy, the share MiniLM answers, its accuracy there and how often it agrees with bge-small there.
 * An experiment, not a test: the module README ("A smaller model as a first stage") records its outcome.
 * <pre>
 * ./mvnw -q -pl category-classifier test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.coe.classifier.cli.EmbeddingCascadeExperiment
 * </pre>
 * Run from the repository root; reads {@code config/} and {@code ../shared/data} (override with
 * {@code -Dcoe.shared.data}). About 75 s on two cores.
 */
public final class EmbeddingCascadeExperiment {

    private static final double[] THRESHOLDS = {0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99};

    private EmbeddingCascadeExperiment() {
    }

    public static void main(String[] args) throws IOException {
        Path config = Path.of("config");
        Taxonomy taxonomy = Taxonomy.load(config.resolve(EmbeddingCentroidClassifier.CATEGORIES_FILE));
        TrainingData data = TrainingData.load(config.resolve(EmbeddingCentroidClassifier.EXAMPLES_FILE), taxonomy);
        EmbeddingLogisticClassifier bge = EmbeddingLogisticClassifier.fromConfig(config);
        EmbeddingLogisticClassifier mini = EmbeddingLogisticClassifier.train(
                OnnxSentenceEmbeddingModel.of(OnnxSentenceEmbeddingModel.Bundled.ALL_MINILM_L6_V2_Q), "all-minilm-l6-v2-q", data, 0.1);
        System.out.println("MiniLM head, cross-validated on the examples: " + mini.artifact().metrics());
        for (HeldOutSuites.Named named : HeldOutSuites.read(taxonomy.ids())) {
            List<EvaluationInput.Item> items = named.input().items();
            int n = items.size();
            String[] b = new String[n];
            String[] m = new String[n];
            double[] conf = new double[n];
            for (int i = 0; i < n; i++) {
                b[i] = bge.classify(items.get(i).conversation()).category();
                Classification c = mini.classify(items.get(i).conversation());
                m[i] = c.category();
                conf[i] = c.confidence();
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-9s bge %.3f mini %.3f", named.name(),
                    HeldOutSuites.accuracy(items, i -> b[i]), HeldOutSuites.accuracy(items, i -> m[i])));
            for (double t : THRESHOLDS) {
                int scored = 0;
                int answered = 0;
                int right = 0;
                int agree = 0;
                for (int i = 0; i < n; i++) {
                    Optional<String> e = items.get(i).expected();
                    if (e.isEmpty()) {
                        continue;
                    }
                    scored++;
                    if (conf[i] >= t) {
                        answered++;
                        right += m[i].equals(e.get()) ? 1 : 0;
                        agree += m[i].equals(b[i]) ? 1 : 0;
                    }
                }
                line.append(String.format(Locale.ROOT, "%n   t %.2f: cascade %.3f, mini answers %.0f%% (acc %.3f, agrees with bge %.3f)", t,
                        HeldOutSuites.accuracy(items, i -> conf[i] >= t ? m[i] : b[i]), 100.0 * answered / scored,
                        (double) right / Math.max(1, answered), (double) agree / Math.max(1, answered)));
            }
            System.out.println(line);
        }
    }
}
