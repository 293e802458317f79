package dev.coe.classifier.cli;

import dev.coe.classifier.Classification;
import dev.coe.classifier.Taxonomy;
import dev.coe.classifier.Turn;
import dev.coe.classifier.embedding.EmbeddingCentroidClassifier;
import dev.coe.classifier.embedding.EmbeddingLogisticClassifier;
import dev.coe.classifier.lexical.HashedNgrams;
import dev.coe.classifier.training.CalibratedTraining;
import dev.coe.classifier.training.SoftmaxRegression;
import dev.coe.classifier.training.TemperatureScaling;
import dev.coe.classifier.training.TrainingData;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures whether the router's classifier gains from lexical evidence added to, rather than put in front of, its
 * embedding head ({@link LexicalCascadeExperiment} measured the latter, and it lost accuracy). Late fusion: the
 * score of category k is {@code log p_emb(k) + w * log p_lex(k)}, where both are calibrated softmax heads (the
 * embedding head as shipped; a softmax regression on hashed n-grams, {@link HashedNgrams}) and the fused scores get
 * their own temperature. The weight {@code w} is chosen on the training examples only, by out-of-fold log-loss over
 * the same five folds for both heads; the evaluation suites are then scored once for every {@code w}, so that the
 * chosen row can be read beside its neighbours. An experiment, not a test; the module README records its outcome.
 * <pre>
 * ./mvnw -q -pl category-classifier exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.coe.classifier.cli.LexicalFusionExperiment
 * </pre>
 * Run from the repository root; reads {@code config/} and {@code ../shared/data} (override with {@code -Dcoe.shared.data}).
 */
public final class LexicalFusionExperiment {

    private static final int BUCKETS = 2048;
    private static final double[] LEXICAL_L2 = {0.3, 1.0, 3.0};
    private static final double[] WEIGHTS = {0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0};

    /** A suite's prompts with the embedding head's log-probabilities of each. */
    private record Suite(String name, List<EvaluationInput.Item> items, double[][] embeddingLogP) {
    }

    private LexicalFusionExperiment() {
    }

    public static void main(String[] args) throws IOException {
        Path config = Path.of("config");
        Taxonomy taxonomy = Taxonomy.load(config.resolve(EmbeddingCentroidClassifier.CATEGORIES_FILE));
        TrainingData data = TrainingData.load(config.resolve(EmbeddingCentroidClassifier.EXAMPLES_FILE), taxonomy);
        EmbeddingModel model = EmbeddingCentroidClassifier.defaultEmbeddingModel();
        EmbeddingLogisticClassifier embedding = EmbeddingLogisticClassifier.fromConfig(config);
        List<String> ids = taxonomy.ids();
        int[] y = data.examples().stream().mapToInt(e -> ids.indexOf(e.category())).toArray();

        // Out-of-fold log-probabilities of the embedding head on the training examples (short texts: one piece each).
        float[][] xEmbedding = model.embedAll(data.examples().stream().map(e -> TextSegment.from(e.text())).toList())
                .content().stream().map(e -> normalise(e.vector())).toArray(float[][]::new);
        double[][] embeddingOof = CalibratedTraining.outOfFoldLogits(xEmbedding, y, ids.size(),
                EmbeddingLogisticClassifier.DEFAULT_L2, CalibratedTraining.DEFAULT_FOLDS);
        double embeddingT = TemperatureScaling.fit(embeddingOof, y);
        double[][] embeddingOofLogP = logSoftmax(embeddingOof, embeddingT);
        System.out.printf(Locale.ROOT, "embedding head: out-of-fold accuracy %.3f, log-loss %.3f (T %.3f)%n",
                CalibratedTraining.accuracy(embeddingOof, y), TemperatureScaling.nll(embeddingOof, y, embeddingT), embeddingT);

        List<Suite> suites = new ArrayList<>();
        for (HeldOutSuites.Named named : HeldOutSuites.read(ids)) {
            suites.add(suite(named.name(), named.input(), embedding));
        }

        float[][] xLexical = data.examples().stream().map(e -> HashedNgrams.features(e.text(), BUCKETS)).toArray(float[][]::new);
        for (double l2 : LEXICAL_L2) {
            double[][] lexicalOof = CalibratedTraining.outOfFoldLogits(xLexical, y, ids.size(), l2, CalibratedTraining.DEFAULT_FOLDS);
            double lexicalT = TemperatureScaling.fit(lexicalOof, y);
            double[][] lexicalOofLogP = logSoftmax(lexicalOof, lexicalT);
            SoftmaxRegression.Model lexical = SoftmaxRegression.fit(xLexical, y, ids.size(), l2, CalibratedTraining.MAX_ITERATIONS);
            System.out.printf(Locale.ROOT, "lexical head L2 %s: out-of-fold accuracy %.3f, log-loss %.3f (T %.3f)%n", l2,
                    CalibratedTraining.accuracy(lexicalOof, y), TemperatureScaling.nll(lexicalOof, y, lexicalT), lexicalT);
            for (double w : WEIGHTS) {
                double[][] fusedOof = fuse(embeddingOofLogP, lexicalOofLogP, w);
                double fusedT = TemperatureScaling.fit(fusedOof, y);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                        "  w %.2f: training out-of-fold accuracy %.3f, log-loss %.3f |", w,
                        CalibratedTraining.accuracy(fusedOof, y), TemperatureScaling.nll(fusedOof, y, fusedT)));
                for (Suite suite : suites) {
                    double[][] lexicalLogP = suite.items().stream()
                            .map(i -> logSoftmax(lexical.logits(HashedNgrams.features(latestUserText(i.conversation()), BUCKETS)), lexicalT))
                            .toArray(double[][]::new);
                    double[][] fused = fuse(suite.embeddingLogP(), lexicalLogP, w);
                    line.append(String.format(Locale.ROOT, " %s %.3f", suite.name(), accuracy(suite, fused, ids)));
                }
                System.out.println(line);
            }
        }
    }

    private static Suite suite(String name, EvaluationInput input, EmbeddingLogisticClassifier embedding) {
        List<String> ids = embedding.taxonomy().ids();
        double[][] logP = input.items().stream().map(i -> {
            Classification c = embedding.classify(i.conversation());
            return ids.stream().mapToDouble(id -> Math.log(Math.max(c.distribution().get(id), 1e-300))).toArray();
        }).toArray(double[][]::new);
        return new Suite(name, input.items(), logP);
    }

    private static String latestUserText(List<Turn> conversation) {
        for (int i = conversation.size() - 1; i >= 0; i--) {
            if (conversation.get(i).role() == Turn.Role.USER && !conversation.get(i).text().isBlank()) {
                return conversation.get(i).text();
            }
        }
        return conversation.getLast().text();
    }

    private static double[][] fuse(double[][] a, double[][] b, double w) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new double[a[i].length];
            for (int k = 0; k < a[i].length; k++) {
                out[i][k] = a[i][k] + w * b[i][k];
            }
        }
        return out;
    }

    private static double[][] logSoftmax(double[][] logits, double temperature) {
        double[][] out = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logSoftmax(logits[i], temperature);
        }
        return out;
    }

    private static double[] logSoftmax(double[] logits, double temperature) {
        double[] p = SoftmaxRegression.softmax(logits, temperature);
        double[] out = new double[p.length];
        for (int k = 0; k < p.length; k++) {
            out[k] = Math.log(Math.max(p[k], 1e-300));
        }
        return out;
    }

    private static float[] normalise(float[] v) {
        double norm = 0;
        for (float f : v) {
            norm += f * f;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * scale;
        }
        return out;
    }

    /** Share of the labelled prompts whose top fused score is their label. */
    private static double accuracy(Suite suite, double[][] scores, List<String> ids) {
        return HeldOutSuites.accuracy(suite.items(), i -> ids.get(CalibratedTraining.argmax(scores[i])));
    }
}
