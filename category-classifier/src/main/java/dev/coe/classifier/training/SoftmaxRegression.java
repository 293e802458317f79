package dev.coe.classifier.training;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Multinomial logistic regression (softmax regression) with L2 regularisation, trained by full-batch
 * L-BFGS. Small on purpose: a few hundred examples of a few hundred features train in well under a
 * second, so there is no need for a library. Stateless and thread-safe; {@link #fit} returns an
 * immutable {@link Model}.
 * <p>
 * Objective: mean negative log-likelihood of the true class plus {@code l2 / 2 * |W|^2} (the bias is
 * not regularised). Features are standardised (zero mean, unit variance per dimension) before
 * fitting, so that one {@code l2} value suits any embedding; the standardisation is folded back into
 * the returned weights, which apply to raw features.
 */
public final class SoftmaxRegression {

    /** L-BFGS history length. */
    static final int HISTORY = 10;

    private static final double GRADIENT_TOLERANCE = 1e-6;

    private SoftmaxRegression() {
    }

    /**
     * A trained linear model: {@code logits = weights * x + bias}. Immutable and thread-safe.
     *
     * @param weights {@code [classes][features]}
     * @param bias    {@code [classes]}
     */
    public record Model(double[][] weights, double[] bias) {

        public int classes() {
            return bias.length;
        }

        public int features() {
            return weights[0].length;
        }

        /** The unnormalised scores of each class for one feature vector. */
        public double[] logits(float[] x) {
            if (x.length != features()) {
                throw new IllegalArgumentException("expected " + features() + " features, but got " + x.length);
            }
            double[] logits = bias.clone();
            for (int k = 0; k < logits.length; k++) {
                double[] w = weights[k];
                double sum = 0;
                for (int j = 0; j < x.length; j++) {
                    sum += w[j] * x[j];
                }
                logits[k] += sum;
            }
            return logits;
        }
    }

    /**
     * Fits the model.
     *
     * @param x             feature vectors, all the same length
     * @param y             class of each vector, in {@code [0, classes)}
     * @param classes       number of classes
     * @param l2            regularisation strength, {@code > 0}
     * @param maxIterations L-BFGS iterations at most
     * @throws IllegalArgumentException if the inputs are empty, of different lengths, or out of range
     */
    public static Model fit(float[][] x, int[] y, int classes, double l2, int maxIterations) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("need as many labels as feature vectors (and at least one), but got "
                    + x.length + " vectors and " + y.length + " labels");
        }
        if (!(l2 > 0)) {
            throw new IllegalArgumentException("l2 must be greater than 0, but was " + l2);
        }
        for (int label : y) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label must be between 0 and " + (classes - 1) + ", but was " + label);
            }
        }
        Standardised data = Standardised.of(x);
        Objective objective = new Objective(data.z, y, classes, l2);
        double[] theta = minimise(objective, new double[classes * (data.features + 1)], maxIterations);
        return data.unfold(theta, classes);
    }

    /** Softmax of {@code logits / temperature}, shifted by the maximum so that it cannot overflow. */
    public static double[] softmax(double[] logits, double temperature) {
        double max = Arrays.stream(logits).max().orElseThrow();
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** L-BFGS with a backtracking (Armijo) line search; returns the parameters at the end. */
    static double[] minimise(Objective f, double[] start, int maxIterations) {
        double[] theta = start.clone();
        double[] gradient = new double[theta.length];
        double value = f.evaluate(theta, gradient);
        Deque<double[][]> history = new ArrayDeque<>(); // each entry {s, y, {rho}}
        for (int iteration = 0; iteration < maxIterations && norm(gradient) > GRADIENT_TOLERANCE; iteration++) {
            double[] direction = twoLoop(gradient, history);
            double slope = dot(direction, gradient);
            if (slope >= 0) { // not a descent direction: restart from steepest descent
                history.clear();
                direction = scale(gradient, -1);
                slope = dot(direction, gradient);
            }
            double step = history.isEmpty() ? 1.0 / Math.max(1.0, norm(gradient)) : 1.0;
            double[] next = new double[theta.length];
            double[] nextGradient = new double[theta.length];
            double nextValue;
            while (true) {
                for (int i = 0; i < theta.length; i++) {
                    next[i] = theta[i] + step * direction[i];
                }
                nextValue = f.evaluate(next, nextGradient);
                if (nextValue <= value + 1e-4 * step * slope || step < 1e-12) {
                    break;
                }
                step /= 2;
            }
            double[] s = new double[theta.length];
            double[] yDiff = new double[theta.length];
            for (int i = 0; i < theta.length; i++) {
                s[i] = next[i] - theta[i];
                yDiff[i] = nextGradient[i] - gradient[i];
            }
            double sy = dot(s, yDiff);
            if (sy > 1e-12) {
                history.addLast(new double[][] {s, yDiff, {1.0 / sy}});
                if (history.size() > HISTORY) {
                    history.removeFirst();
                }
            }
            boolean converged = Math.abs(value - nextValue) < 1e-10 * Math.max(1, Math.abs(value));
            theta = next;
            gradient = nextGradient;
            value = nextValue;
            if (converged) {
                break;
            }
        }
        return theta;
    }

    private static double[] twoLoop(double[] gradient, Deque<double[][]> history) {
        double[] q = scale(gradient, -1);
        if (history.isEmpty()) {
            return q;
        }
        double[] alpha = new double[history.size()];
        int i = history.size();
        var descending = history.descendingIterator();
        while (descending.hasNext()) {
            double[][] h = descending.next();
            alpha[--i] = h[2][0] * dot(h[0], q);
            axpy(-alpha[i], h[1], q);
        }
        double[][] last = history.peekLast();
        double gamma = dot(last[0], last[1]) / dot(last[1], last[1]);
        for (int j = 0; j < q.length; j++) {
            q[j] *= gamma;
        }
        i = 0;
        for (double[][] h : history) {
            double beta = h[2][0] * dot(h[1], q);
            axpy(alpha[i++] - beta, h[0], q);
        }
        return q;
    }

    /** Mean NLL + L2 penalty and its gradient; parameters laid out as {@code [class][features..., bias]}. */
    record Objective(double[][] z, int[] y, int classes, double l2) {

        double evaluate(double[] theta, double[] gradient) {
            int d = z[0].length;
            int stride = d + 1;
            Arrays.fill(gradient, 0);
            double loss = 0;
            double[] logits = new double[classes];
            for (int n = 0; n < z.length; n++) {
                double[] row = z[n];
                for (int k = 0; k < classes; k++) {
                    int offset = k * stride;
                    double sum = theta[offset + d];
                    for (int j = 0; j < d; j++) {
                        sum += theta[offset + j] * row[j];
                    }
                    logits[k] = sum;
                }
                double[] p = softmax(logits, 1.0);
                loss -= Math.log(Math.max(p[y[n]], 1e-300));
                for (int k = 0; k < classes; k++) {
                    double error = (p[k] - (k == y[n] ? 1 : 0)) / z.length;
                    int offset = k * stride;
                    for (int j = 0; j < d; j++) {
                        gradient[offset + j] += error * row[j];
                    }
                    gradient[offset + d] += error;
                }
            }
            loss /= z.length;
            for (int k = 0; k < classes; k++) {
                for (int j = 0; j < d; j++) {
                    double w = theta[k * stride + j];
                    loss += 0.5 * l2 * w * w;
                    gradient[k * stride + j] += l2 * w;
                }
            }
            return loss;
        }
    }

    /** Features shifted to zero mean and scaled to unit variance per dimension. */
    private record Standardised(double[][] z, double[] mean, double[] scale, int features) {

        static Standardised of(float[][] x) {
            int d = x[0].length;
            double[] mean = new double[d];
            double[] scale = new double[d];
            for (float[] row : x) {
                if (row.length != d) {
                    throw new IllegalArgumentException("feature vectors differ in length: " + row.length + " vs " + d);
                }
                for (int j = 0; j < d; j++) {
                    mean[j] += row[j] / (double) x.length;
                }
            }
            for (float[] row : x) {
                for (int j = 0; j < d; j++) {
                    scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / x.length;
                }
            }
            for (int j = 0; j < d; j++) {
                scale[j] = scale[j] > 1e-12 ? Math.sqrt(scale[j]) : 1.0; // a constant feature stays 0
            }
            double[][] z = new double[x.length][d];
            for (int n = 0; n < x.length; n++) {
                for (int j = 0; j < d; j++) {
                    z[n][j] = (x[n][j] - mean[j]) / scale[j];
                }
            }
            return new Standardised(z, mean, scale, d);
        }

        /** Weights for raw features: {@code w'_j = w_j / scale_j}, {@code b' = b - sum_j w_j mean_j / scale_j}. */
        Model unfold(double[] theta, int classes) {
            int stride = features + 1;
            double[][] weights = new double[classes][features];
            double[] bias = new double[classes];
            for (int k = 0; k < classes; k++) {
                double b = theta[k * stride + features];
                for (int j = 0; j < features; j++) {
                    weights[k][j] = theta[k * stride + j] / scale[j];
                    b -= weights[k][j] * mean[j];
                }
                bias[k] = b;
            }
            return new Model(weights, bias);
        }
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double[] scale(double[] a, double factor) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * factor;
        }
        return out;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }
}
