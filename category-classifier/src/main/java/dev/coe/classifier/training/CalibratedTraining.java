package dev.coe.classifier.training;

import dev.coe.classifier.evaluation.CalibrationError;

import java.util.HashMap;
import java.util.Map;

/**
 * Trains a {@link SoftmaxRegression} head and calibrates it: the temperature is fitted on
 * out-of-fold predictions (k-fold cross-validation over the training vectors), then the final
 * model is fitted on all of them. The out-of-fold figures are what the model is expected to do on
 * prompts it has not seen. Stateless and thread-safe.
 */
public final class CalibratedTraining {

    /** Folds for the out-of-fold predictions the temperature is fitted on. */
    public static final int DEFAULT_FOLDS = 5;

    /** L-BFGS iterations at most; the fits converge in 100-300. */
    public static final int MAX_ITERATIONS = 1_000;

    private CalibratedTraining() {
    }

    /**
     * What training produced.
     *
     * @param model       the head fitted on all vectors
     * @param temperature fitted on the out-of-fold logits
     * @param outOfFold   cross-validated figures, before and after temperature scaling
     */
    public record Result(SoftmaxRegression.Model model, double temperature, OutOfFold outOfFold) {
    }

    /**
     * Cross-validated figures. {@code eceScaled} and {@code nllScaled} use the temperature fitted on
     * these same predictions, so they are slightly optimistic (one parameter on hundreds of rows).
     */
    public record OutOfFold(double accuracy, double nllRaw, double nllScaled, double eceRaw, double eceScaled) {

        public Map<String, Double> asMap() {
            Map<String, Double> map = new HashMap<>();
            map.put("cv_accuracy", accuracy);
            map.put("cv_nll_raw", nllRaw);
            map.put("cv_nll_scaled", nllScaled);
            map.put("cv_ece_raw", eceRaw);
            map.put("cv_ece_scaled", eceScaled);
            return map;
        }
    }

    /**
     * @throws IllegalArgumentException for inconsistent inputs (see {@link SoftmaxRegression#fit})
     */
    public static Result train(float[][] x, int[] y, int classes, double l2, int folds) {
        double[][] logits = outOfFoldLogits(x, y, classes, l2, folds);
        double temperature = TemperatureScaling.fit(logits, y);
        SoftmaxRegression.Model model = SoftmaxRegression.fit(x, y, classes, l2, MAX_ITERATIONS);
        OutOfFold oof = new OutOfFold(accuracy(logits, y), TemperatureScaling.nll(logits, y, 1.0),
                TemperatureScaling.nll(logits, y, temperature), ece(logits, y, 1.0), ece(logits, y, temperature));
        return new Result(model, temperature, oof);
    }

    /** Logits of every vector from a model fitted without its fold. */
    public static double[][] outOfFoldLogits(float[][] x, int[] y, int classes, double l2, int folds) {
        int[] fold = stratifiedFolds(y, folds);
        double[][] logits = new double[x.length][];
        for (int f = 0; f < folds; f++) {
            int finalF = f;
            int[] train = java.util.stream.IntStream.range(0, x.length).filter(i -> fold[i] != finalF).toArray();
            SoftmaxRegression.Model model = SoftmaxRegression.fit(rows(x, train),
                    java.util.Arrays.stream(train).map(i -> y[i]).toArray(), classes, l2, MAX_ITERATIONS);
            for (int i = 0; i < x.length; i++) {
                if (fold[i] == f) {
                    logits[i] = model.logits(x[i]);
                }
            }
        }
        return logits;
    }

    /**
     * Fold of each row: within each class, rows in order get folds 0, 1, ..., folds-1, 0, ..., so
     * that every fold has about the same class mix (and the split is deterministic).
     */
    public static int[] stratifiedFolds(int[] y, int folds) {
        if (folds < 2) {
            throw new IllegalArgumentException("folds must be at least 2, but was " + folds);
        }
        Map<Integer, Integer> seen = new HashMap<>();
        int[] fold = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            fold[i] = seen.merge(y[i], 1, Integer::sum) % folds;
        }
        return fold;
    }

    /** The rows of {@code x} at {@code indices}. */
    public static float[][] rows(float[][] x, int[] indices) {
        float[][] out = new float[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            out[i] = x[indices[i]];
        }
        return out;
    }

    /** Share of rows whose largest logit is the label's. */
    public static double accuracy(double[][] logits, int[] y) {
        int correct = 0;
        for (int i = 0; i < logits.length; i++) {
            correct += argmax(logits[i]) == y[i] ? 1 : 0;
        }
        return (double) correct / logits.length;
    }

    /** ECE (15 bins) of {@code softmax(logits / temperature)}. */
    public static double ece(double[][] logits, int[] y, double temperature) {
        double[] confidence = new double[logits.length];
        boolean[] correct = new boolean[logits.length];
        for (int i = 0; i < logits.length; i++) {
            double[] p = SoftmaxRegression.softmax(logits[i], temperature);
            int top = argmax(p);
            confidence[i] = p[top];
            correct[i] = top == y[i];
        }
        return CalibrationError.expected(confidence, correct);
    }

    public static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
