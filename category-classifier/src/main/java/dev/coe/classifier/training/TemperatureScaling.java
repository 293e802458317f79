package dev.coe.classifier.training;

/**
 * Temperature scaling (Guo et al., 2017): one scalar {@code T} divides all logits before the
 * softmax, chosen to minimise the negative log-likelihood on held-out predictions. It changes the
 * confidence, never the predicted class. Stateless and thread-safe.
 */
public final class TemperatureScaling {

    /** Search range for {@code T}; outside it the held-out data is too small or degenerate to say. */
    public static final double MIN_TEMPERATURE = 0.05;
    public static final double MAX_TEMPERATURE = 20.0;

    private TemperatureScaling() {
    }

    /**
     * The temperature minimising the mean NLL of {@code labels} under {@code softmax(logits / T)},
     * by golden-section search on {@code log T} (the NLL is convex in {@code 1/T}).
     *
     * @throws IllegalArgumentException if there are no rows, or rows and labels differ in number
     */
    public static double fit(double[][] logits, int[] labels) {
        if (logits.length == 0 || logits.length != labels.length) {
            throw new IllegalArgumentException("need as many labels as logit rows (and at least one), but got "
                    + logits.length + " rows and " + labels.length + " labels");
        }
        double phi = (Math.sqrt(5) - 1) / 2;
        double a = Math.log(MIN_TEMPERATURE);
        double b = Math.log(MAX_TEMPERATURE);
        double c = b - phi * (b - a);
        double d = a + phi * (b - a);
        double fc = nll(logits, labels, Math.exp(c));
        double fd = nll(logits, labels, Math.exp(d));
        for (int i = 0; i < 80; i++) {
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - phi * (b - a);
                fc = nll(logits, labels, Math.exp(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + phi * (b - a);
                fd = nll(logits, labels, Math.exp(d));
            }
        }
        return Math.exp((a + b) / 2);
    }

    /** Mean negative log-likelihood of the labels under {@code softmax(logits / temperature)}. */
    public static double nll(double[][] logits, int[] labels, double temperature) {
        double sum = 0;
        for (int n = 0; n < logits.length; n++) {
            double[] p = SoftmaxRegression.softmax(logits[n], temperature);
            sum -= Math.log(Math.max(p[labels[n]], 1e-300));
        }
        return sum / logits.length;
    }
}
