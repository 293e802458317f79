package dev.coe.classifier.cli;

import dev.coe.classifier.Category;
import dev.coe.classifier.Taxonomy;
import dev.coe.classifier.embedding.EmbeddingCentroidClassifier;
import dev.coe.classifier.embedding.EmbeddingLogisticClassifier;
import dev.coe.classifier.embedding.ExperimentEmbeddings;
import dev.coe.classifier.training.CalibratedTraining;
import dev.coe.classifier.training.SoftmaxRegression;
import dev.coe.classifier.training.TemperatureScaling;
import dev.coe.classifier.training.TrainingData;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures whether a head other than the router's logistic regression does better on the same embeddings: a small
 * multi-layer perceptron (one hidden ReLU layer, dropout, AdamW), and the logistic head fused with zero-shot evidence
 * from the category descriptions ({@code log p_head + w * log p_desc}, where {@code p_desc} is a softmax of the cosine
 * similarity to each description's embedding). Every variant is chosen on the training examples only, by out-of-fold
 * log-loss over the router's five folds; the held-out suites are then scored for every variant, so that the chosen
 * row can be read beside its neighbours. An experiment, not a test; the module README records its outcome.
 * <pre>
 * ./mvnw -q -pl category-classifier test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.coe.classifier.cli.HeadExperiment
 * </pre>
 * Run from the repository root; reads {@code config/} and {@code ../shared/data} (override with {@code -Dcoe.shared.data}).
 */
public final class HeadExperiment {

    /** The perceptrons tried: hidden units, dropout of the hidden layer, decoupled weight decay. */
    private record Shape(int hidden, double dropout, double decay) {
    }

    private static final List<Shape> SHAPES = List.of(new Shape(128, 0, 1e-2), new Shape(128, 0, 1e-1),
            new Shape(128, 0.3, 1e-2), new Shape(128, 0.3, 1e-1), new Shape(32, 0.5, 3e-1), new Shape(512, 0.5, 3e-1));
    private static final int EPOCHS = 60;
    private static final int SEEDS = 2;
    private static final double[] DESCRIPTION_WEIGHTS = {0, 0.1, 0.2, 0.3, 0.5, 1.0};

    private record Suite(String name, List<EvaluationInput.Item> items, float[][] x) {
    }

    private HeadExperiment() {
    }

    public static void main(String[] args) throws IOException {
        Path config = Path.of("config");
        Taxonomy taxonomy = Taxonomy.load(config.resolve(EmbeddingCentroidClassifier.CATEGORIES_FILE));
        TrainingData data = TrainingData.load(config.resolve(EmbeddingCentroidClassifier.EXAMPLES_FILE), taxonomy);
        ExperimentEmbeddings embeddings = new ExperimentEmbeddings(EmbeddingCentroidClassifier.defaultEmbeddingModel());
        List<String> ids = taxonomy.ids();
        int classes = ids.size();
        float[][] x = embeddings.texts(data.examples().stream().map(e -> e.text()).toList());
        int[] y = data.examples().stream().mapToInt(e -> ids.indexOf(e.category())).toArray();
        int[] fold = CalibratedTraining.stratifiedFolds(y, CalibratedTraining.DEFAULT_FOLDS);

        List<Suite> suites = new ArrayList<>();
        for (HeldOutSuites.Named named : HeldOutSuites.read(ids)) {
            List<EvaluationInput.Item> items = named.input().items();
            float[][] sx = items.stream().map(i -> embeddings.conversation(i.conversation())).toArray(float[][]::new);
            suites.add(new Suite(named.name(), items, sx));
            System.out.printf(Locale.ROOT, "embedded %s (%d)%n", named.name(), items.size());
        }

        // The router's head.
        double l2 = EmbeddingLogisticClassifier.DEFAULT_L2;
        double[][] lrOof = CalibratedTraining.outOfFoldLogits(x, y, classes, l2, CalibratedTraining.DEFAULT_FOLDS);
        double lrT = TemperatureScaling.fit(lrOof, y);
        SoftmaxRegression.Model lr = SoftmaxRegression.fit(x, y, classes, l2, CalibratedTraining.MAX_ITERATIONS);
        report("logistic L2 0.1 (router)", lrOof, y, lrT, suites, ids, s -> logits(lr, s));

        // Zero-shot evidence from the descriptions, fused with the router's head.
        float[][] descriptions = embeddings.texts(taxonomy.categories().stream().map(Category::description).toList());
        double[][] descOof = cosines(x, descriptions);
        double descT = TemperatureScaling.fit(descOof, y);
        System.out.printf(Locale.ROOT, "descriptions alone: training accuracy %.3f (T %.4f) |%s%n",
                CalibratedTraining.accuracy(descOof, y), descT, suiteAccuracies(suites, ids, s -> cosines(s.x(), descriptions)));
        for (double w : DESCRIPTION_WEIGHTS) {
            double[][] fusedOof = fuse(lrOof, lrT, descOof, descT, w);
            report(String.format(Locale.ROOT, "logistic + descriptions w %.2f", w), fusedOof, y,
                    TemperatureScaling.fit(fusedOof, y), suites, ids,
                    s -> fuse(logits(lr, s), lrT, cosines(s.x(), descriptions), descT, w));
        }

        // A small perceptron, averaged over seeds.
        for (Shape shape : SHAPES) {
            double[][] oof = new double[x.length][];
            for (int f = 0; f < CalibratedTraining.DEFAULT_FOLDS; f++) {
                int[] trainIdx = indices(fold, f, false);
                Ensemble model = Ensemble.fit(CalibratedTraining.rows(x, trainIdx), pick(y, trainIdx), classes, shape);
                for (int i : indices(fold, f, true)) {
                    oof[i] = model.logits(x[i]);
                }
            }
            double t = TemperatureScaling.fit(oof, y);
            Ensemble full = Ensemble.fit(x, y, classes, shape);
            report(String.format(Locale.ROOT, "mlp hidden %d dropout %.1f decay %.0e", shape.hidden(), shape.dropout(),
                    shape.decay()), oof, y, t, suites, ids, s -> {
                double[][] out = new double[s.x().length][];
                for (int i = 0; i < out.length; i++) {
                    out[i] = full.logits(s.x()[i]);
                }
                return out;
            });
        }
    }

    private interface SuiteLogits {
        double[][] of(Suite suite);
    }

    private static void report(String name, double[][] oof, int[] y, double t, List<Suite> suites, List<String> ids,
                               SuiteLogits logits) {
        System.out.printf(Locale.ROOT, "%-40s out-of-fold accuracy %.3f, log-loss %.3f |%s%n", name,
                CalibratedTraining.accuracy(oof, y), TemperatureScaling.nll(oof, y, t), suiteAccuracies(suites, ids, logits));
    }

    private static String suiteAccuracies(List<Suite> suites, List<String> ids, SuiteLogits logits) {
        StringBuilder line = new StringBuilder();
        for (Suite suite : suites) {
            double[][] l = logits.of(suite);
            line.append(String.format(Locale.ROOT, " %s %.3f", suite.name(),
                    HeldOutSuites.accuracy(suite.items(), i -> ids.get(CalibratedTraining.argmax(l[i])))));
        }
        return line.toString();
    }

    private static double[][] logits(SoftmaxRegression.Model model, Suite suite) {
        double[][] out = new double[suite.x().length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = model.logits(suite.x()[i]);
        }
        return out;
    }

    private static double[][] cosines(float[][] x, float[][] descriptions) {
        double[][] out = new double[x.length][descriptions.length];
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < descriptions.length; k++) {
                double dot = 0;
                for (int j = 0; j < x[i].length; j++) {
                    dot += x[i][j] * descriptions[k][j];
                }
                out[i][k] = dot;
            }
        }
        return out;
    }

    /** {@code log p_a + w log p_b}, each a softmax at its own temperature. */
    private static double[][] fuse(double[][] a, double ta, double[][] b, double tb, double w) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            double[] pa = SoftmaxRegression.softmax(a[i], ta);
            double[] pb = SoftmaxRegression.softmax(b[i], tb);
            out[i] = new double[pa.length];
            for (int k = 0; k < pa.length; k++) {
                out[i][k] = Math.log(Math.max(pa[k], 1e-300)) + w * Math.log(Math.max(pb[k], 1e-300));
            }
        }
        return out;
    }

    private static int[] indices(int[] fold, int f, boolean in) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < fold.length; i++) {
            if ((fold[i] == f) == in) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] pick(int[] y, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = y[idx[i]];
        }
        return out;
    }

    /** Perceptrons from several seeds; their logits averaged. */
    private record Ensemble(List<Mlp> members) {

        static Ensemble fit(float[][] x, int[] y, int classes, Shape shape) {
            List<Mlp> members = new ArrayList<>();
            for (int s = 0; s < SEEDS; s++) {
                members.add(Mlp.fit(x, y, classes, shape.hidden(), shape.dropout(), shape.decay(), 17 + s));
            }
            return new Ensemble(members);
        }

        double[] logits(float[] x) {
            double[] sum = null;
            for (Mlp m : members) {
                double[] l = m.logits(x);
                if (sum == null) {
                    sum = l;
                } else {
                    for (int k = 0; k < l.length; k++) {
                        sum[k] += l[k];
                    }
                }
            }
            for (int k = 0; k < sum.length; k++) {
                sum[k] /= members.size();
            }
            return sum;
        }
    }

    /** One hidden ReLU layer over standardised inputs, trained by AdamW on mini-batches of 32. */
    private static final class Mlp {
        private final int d;
        private final int h;
        private final int k;
        private final double[] mean;
        private final double[] scale;
        private final double[] w1; // h x d
        private final double[] b1;
        private final double[] w2; // k x h
        private final double[] b2;

        private Mlp(int d, int h, int k, double[] mean, double[] scale, SplittableRandom random) {
            this.d = d;
            this.h = h;
            this.k = k;
            this.mean = mean;
            this.scale = scale;
            w1 = new double[h * d];
            b1 = new double[h];
            w2 = new double[k * h];
            b2 = new double[k];
            double s1 = Math.sqrt(2.0 / d);
            for (int i = 0; i < w1.length; i++) {
                w1[i] = gaussian(random) * s1;
            }
            double s2 = Math.sqrt(1.0 / h);
            for (int i = 0; i < w2.length; i++) {
                w2[i] = gaussian(random) * s2;
            }
        }

        static Mlp fit(float[][] x, int[] y, int classes, int hidden, double dropout, double decay, long seed) {
            int d = x[0].length;
            double[] mean = new double[d];
            double[] scale = new double[d];
            for (float[] row : x) {
                for (int j = 0; j < d; j++) {
                    mean[j] += row[j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= x.length;
            }
            for (float[] row : x) {
                for (int j = 0; j < d; j++) {
                    scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
                }
            }
            for (int j = 0; j < d; j++) {
                scale[j] = 1 / Math.sqrt(scale[j] / x.length + 1e-12);
            }
            SplittableRandom random = new SplittableRandom(seed);
            Mlp m = new Mlp(d, hidden, classes, mean, scale, random);
            m.train(x, y, dropout, decay, random);
            return m;
        }

        private void train(float[][] x, int[] y, double dropout, double decay, SplittableRandom random) {
            double lr = 1e-3;
            double beta1 = 0.9;
            double beta2 = 0.999;
            double[][] params = {w1, b1, w2, b2};
            double[][] m = {new double[w1.length], new double[h], new double[w2.length], new double[k]};
            double[][] v = {new double[w1.length], new double[h], new double[w2.length], new double[k]};
            double[][] g = {new double[w1.length], new double[h], new double[w2.length], new double[k]};
            int[] order = new int[x.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            double[] in = new double[d];
            double[] hid = new double[h];
            double[] mask = new double[h];
            double[] out = new double[k];
            double[] dh = new double[h];
            int step = 0;
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                for (int i = order.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                for (int start = 0; start < order.length; start += 32) {
                    int end = Math.min(order.length, start + 32);
                    for (double[] gi : g) {
                        java.util.Arrays.fill(gi, 0);
                    }
                    for (int p = start; p < end; p++) {
                        int n = order[p];
                        standardise(x[n], in);
                        for (int a = 0; a < h; a++) {
                            double s = b1[a];
                            int off = a * d;
                            for (int j = 0; j < d; j++) {
                                s += w1[off + j] * in[j];
                            }
                            mask[a] = dropout > 0 && random.nextDouble() < dropout ? 0 : 1 / (1 - dropout);
                            hid[a] = Math.max(0, s) * mask[a];
                        }
                        forwardOut(hid, out);
                        double[] prob = SoftmaxRegression.softmax(out, 1);
                        prob[y[n]] -= 1;
                        java.util.Arrays.fill(dh, 0);
                        for (int c = 0; c < k; c++) {
                            g[3][c] += prob[c];
                            int off = c * h;
                            for (int a = 0; a < h; a++) {
                                g[2][off + a] += prob[c] * hid[a];
                                dh[a] += prob[c] * w2[off + a];
                            }
                        }
                        for (int a = 0; a < h; a++) {
                            if (hid[a] <= 0) {
                                continue;
                            }
                            double da = dh[a] * mask[a];
                            g[1][a] += da;
                            int off = a * d;
                            for (int j = 0; j < d; j++) {
                                g[0][off + j] += da * in[j];
                            }
                        }
                    }
                    step++;
                    double batch = end - start;
                    double c1 = 1 - Math.pow(beta1, step);
                    double c2 = 1 - Math.pow(beta2, step);
                    for (int q = 0; q < params.length; q++) {
                        double[] w = params[q];
                        boolean weights = q == 0 || q == 2;
                        for (int i = 0; i < w.length; i++) {
                            double gi = g[q][i] / batch;
                            m[q][i] = beta1 * m[q][i] + (1 - beta1) * gi;
                            v[q][i] = beta2 * v[q][i] + (1 - beta2) * gi * gi;
                            w[i] -= lr * ((m[q][i] / c1) / (Math.sqrt(v[q][i] / c2) + 1e-8) + (weights ? decay * w[i] : 0));
                        }
                    }
                }
            }
        }

        double[] logits(float[] x) {
            double[] in = new double[d];
            standardise(x, in);
            double[] hid = new double[h];
            for (int a = 0; a < h; a++) {
                double s = b1[a];
                int off = a * d;
                for (int j = 0; j < d; j++) {
                    s += w1[off + j] * in[j];
                }
                hid[a] = Math.max(0, s);
            }
            double[] out = new double[k];
            forwardOut(hid, out);
            return out;
        }

        private void forwardOut(double[] hid, double[] out) {
            for (int c = 0; c < k; c++) {
                double s = b2[c];
                int off = c * h;
                for (int a = 0; a < h; a++) {
                    s += w2[off + a] * hid[a];
                }
                out[c] = s;
            }
        }

        private void standardise(float[] x, double[] in) {
            for (int j = 0; j < d; j++) {
                in[j] = (x[j] - mean[j]) * scale[j];
            }
        }

        private static double gaussian(SplittableRandom random) {
            double u = 1 - random.nextDouble();
            double v = random.nextDouble();
            return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        }
    }
}
