package dev.coe.classifier.embedding;

import dev.coe.classifier.lexical.HashedNgrams;
import dev.coe.classifier.training.CalibratedTraining;
import dev.coe.classifier.training.LabelledExample;
import dev.coe.classifier.training.SoftmaxRegression;
import dev.coe.classifier.training.TemperatureScaling;
import dev.coe.classifier.training.TrainingData;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Compares classifier heads by k-fold cross-validation on training examples, on the same folds
 * and the same embeddings (each example is embedded once): the centroid classifier at its fixed
 * temperature, and the logistic head at several L2 strengths, each before and after temperature
 * scaling, plus the logistic head without the instruction sentence's vector (the centroid classifier
 * never uses it). The temperature of each outer fold is fitted by an inner cross-validation on that fold's
 * training part only, so the "scaled" figures are honest. This is how {@link
 * EmbeddingLogisticClassifier#DEFAULT_L2} was chosen. Not thread-safe.
 */
public final class CrossValidation {

    /** Hash buckets of the lexical stage's features: dense training stays within seconds per fit. */
    private static final int LEXICAL_BUCKETS = 2048;

    /** L2 strengths compared. */
    public static final double[] L2_CANDIDATES = {0.003, 0.01, 0.03, 0.1, 0.3, 1.0};

    /**
     * One compared variant.
     *
     * @param accuracy  out-of-fold accuracy
     * @param nll       mean negative log-likelihood of the true category
     * @param ece       expected calibration error (15 bins)
     * @param meanConfidence mean top probability
     */
    public record Row(String variant, double accuracy, double nll, double ece, double meanConfidence) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-34s accuracy %.3f  log-loss %.3f  ECE %.3f  mean confidence %.3f",
                    variant, accuracy, nll, ece, meanConfidence);
        }
    }

    private final float[][] x;
    private final float[][] withInstruction;
    private final List<String> texts;
    private final int[] y;
    private final int classes;
    private final int folds;
    private final int[] fold;

    private CrossValidation(float[][] x, float[][] withInstruction, List<String> texts, int[] y, int classes,
                            int folds) {
        this.x = x;
        this.withInstruction = withInstruction;
        this.texts = texts;
        this.y = y;
        this.classes = classes;
        this.folds = folds;
        this.fold = CalibratedTraining.stratifiedFolds(y, folds);
    }

    /** Embeds the examples once (as the classifiers do) and prepares stratified folds. */
    public static CrossValidation of(EmbeddingModel model, TrainingData data, int folds) {
        return of(model, data, folds, EmbeddingClassifierConfig.ofDefaults());
    }

    /** Like {@link #of(EmbeddingModel, TrainingData, int)}, with other embedding tuning. */
    public static CrossValidation of(EmbeddingModel model, TrainingData data, int folds,
                                     EmbeddingClassifierConfig config) {
        ConversationEmbedder embedder = new ConversationEmbedder(model, config);
        List<String> texts = data.examples().stream().map(LabelledExample::text).toList();
        float[][] withInstruction = embedder.embedTextsWithInstruction(texts);
        int dimension = withInstruction[0].length / 2;
        float[][] x = Arrays.stream(withInstruction).map(v -> Arrays.copyOf(v, dimension)).toArray(float[][]::new);
        int[] y = data.examples().stream().mapToInt(e -> data.taxonomy().ids().indexOf(e.category())).toArray();
        return new CrossValidation(x, withInstruction, texts, y, data.taxonomy().size(), folds);
    }

    /** All variants, centroid first. */
    public List<Row> compare() {
        List<Row> rows = new ArrayList<>();
        double[][] centroid = outOfFold(this::centroidLogits, false);
        rows.add(row("centroid, T=" + EmbeddingClassifierConfig.DEFAULT_TEMPERATURE, centroid, 1.0));
        rows.add(row("centroid, T fitted (nested)", outOfFold(this::centroidLogits, true), 1.0));
        for (double l2 : L2_CANDIDATES) {
            rows.add(row("logistic l2=" + l2 + ", T=1", outOfFold(withInstruction, logistic(l2), false), 1.0));
            rows.add(row("logistic l2=" + l2 + ", T fitted (nested)",
                    outOfFold(withInstruction, logistic(l2), true), 1.0));
        }
        double l2 = EmbeddingLogisticClassifier.DEFAULT_L2;
        rows.add(row("logistic l2=" + l2 + ", no instruction sentence", outOfFold(x, logistic(l2), true), 1.0));
        return rows;
    }

    /** Trains on some vectors and returns a function from a vector to logits. */
    private interface Head {
        java.util.function.Function<float[], double[]> fit(float[][] x, int[] y);
    }

    /**
     * A lexical first stage in front of the embedding head, on the same folds: a softmax regression
     * on {@link HashedNgrams} features (nested temperature) answers alone when its top probability
     * reaches a threshold, and the embedding head (L2 {@link EmbeddingLogisticClassifier#DEFAULT_L2},
     * nested temperature) answers the rest. One row per lexical L2 and threshold: the cascade's
     * accuracy, the share answered lexically and the accuracy on that share, against the embedding
     * head alone.
     */
    public List<String> lexicalCascade() {
        float[][] lexical = texts.stream().map(t -> HashedNgrams.features(t, LEXICAL_BUCKETS)).toArray(float[][]::new);
        Head embeddingHead = logistic(EmbeddingLogisticClassifier.DEFAULT_L2);
        double[][] embedding = outOfFold(withInstruction, embeddingHead, true);
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "embedding head alone (l2=%s, T fitted): accuracy %.3f",
                EmbeddingLogisticClassifier.DEFAULT_L2, CalibratedTraining.accuracy(embedding, y)));
        for (double l2 : new double[] {0.3, 3.0}) {
            double[][] words = outOfFold(lexical, logistic(l2), true);
            lines.add(String.format(Locale.ROOT, "lexical alone (l2=%s, T fitted): accuracy %.3f  log-loss %.3f  ECE %.3f",
                    l2, CalibratedTraining.accuracy(words, y), TemperatureScaling.nll(words, y, 1.0),
                    CalibratedTraining.ece(words, y, 1.0)));
            for (double threshold : new double[] {0.8, 0.9, 0.95, 0.98}) {
                int answered = 0;
                int answeredRight = 0;
                int right = 0;
                for (int i = 0; i < y.length; i++) {
                    double[] p = SoftmaxRegression.softmax(words[i], 1.0);
                    int top = CalibratedTraining.argmax(p);
                    boolean confident = p[top] >= threshold;
                    int answer = confident ? top : CalibratedTraining.argmax(embedding[i]);
                    answered += confident ? 1 : 0;
                    answeredRight += confident && top == y[i] ? 1 : 0;
                    right += answer == y[i] ? 1 : 0;
                }
                lines.add(String.format(Locale.ROOT,
                        "  cascade at p >= %.2f: accuracy %.3f; lexical answers %.1f %% (accuracy there %.3f)",
                        threshold, right / (double) y.length, 100.0 * answered / y.length,
                        answered == 0 ? Double.NaN : answeredRight / (double) answered));
            }
        }
        return lines;
    }

    private Head logistic(double l2) {
        return (xs, ys) -> {
            SoftmaxRegression.Model m = SoftmaxRegression.fit(xs, ys, classes, l2, CalibratedTraining.MAX_ITERATIONS);
            return m::logits;
        };
    }

    private double[][] outOfFold(Head head, boolean scale) {
        return outOfFold(x, head, scale);
    }

    /** Out-of-fold probabilities-as-logits (already divided by the temperature when {@code scale}). */
    private double[][] outOfFold(float[][] x, Head head, boolean scale) {
        double[][] out = new double[x.length][];
        for (int f = 0; f < folds; f++) {
            int finalF = f;
            int[] train = IntStream.range(0, x.length).filter(i -> fold[i] != finalF).toArray();
            float[][] xs = CalibratedTraining.rows(x, train);
            int[] ys = Arrays.stream(train).map(i -> y[i]).toArray();
            var model = head.fit(xs, ys);
            double temperature = scale ? innerTemperature(head, xs, ys) : 1.0;
            for (int i = 0; i < x.length; i++) {
                if (fold[i] == f) {
                    double[] logits = model.apply(x[i]);
                    for (int k = 0; k < logits.length; k++) {
                        logits[k] /= temperature;
                    }
                    out[i] = logits;
                }
            }
        }
        return out;
    }

    private double innerTemperature(Head head, float[][] xs, int[] ys) {
        int[] inner = CalibratedTraining.stratifiedFolds(ys, folds);
        double[][] logits = new double[xs.length][];
        for (int f = 0; f < folds; f++) {
            int finalF = f;
            int[] train = IntStream.range(0, xs.length).filter(i -> inner[i] != finalF).toArray();
            var model = head.fit(CalibratedTraining.rows(xs, train), Arrays.stream(train).map(i -> ys[i]).toArray());
            for (int i = 0; i < xs.length; i++) {
                if (inner[i] == f) {
                    logits[i] = model.apply(xs[i]);
                }
            }
        }
        return TemperatureScaling.fit(logits, ys);
    }

    /** The centroid classifier as a head: cosine to each class centroid over the default temperature. */
    private java.util.function.Function<float[], double[]> centroidLogits(float[][] xs, int[] ys) {
        float[][] centroids = new float[classes][];
        for (int k = 0; k < classes; k++) {
            List<float[]> members = new ArrayList<>();
            for (int i = 0; i < xs.length; i++) {
                if (ys[i] == k) {
                    members.add(xs[i]);
                }
            }
            double[] equal = new double[members.size()];
            Arrays.fill(equal, 1.0);
            centroids[k] = Vectors.weightedUnitSum(members, equal);
        }
        return v -> Arrays.stream(centroids)
                .mapToDouble(c -> Vectors.dot(v, c) / EmbeddingClassifierConfig.DEFAULT_TEMPERATURE).toArray();
    }

    private Row row(String variant, double[][] logits, double temperature) {
        double confidence = Arrays.stream(logits)
                .mapToDouble(l -> Arrays.stream(SoftmaxRegression.softmax(l, temperature)).max().orElseThrow())
                .average().orElseThrow();
        return new Row(variant, CalibratedTraining.accuracy(logits, y), TemperatureScaling.nll(logits, y, temperature),
                CalibratedTraining.ece(logits, y, temperature), confidence);
    }
}
