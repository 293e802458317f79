package dev.coe.evaluation.optimize;

import java.util.Locale;

/**
 * A mean with its standard error and the number of values behind it. Immutable.
 *
 * @param mean          the sample mean; NaN when {@code count} is 0
 * @param standardError sample standard deviation (n − 1) over √n; NaN below two values
 * @param count         the number of values
 */
public record Estimate(double mean, double standardError, int count) {

    /** The estimate of {@code values[0..count)}. */
    public static Estimate of(double[] values, int count) {
        if (count == 0) {
            return new Estimate(Double.NaN, Double.NaN, 0);
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += values[i];
        }
        double mean = sum / count;
        if (count < 2) {
            return new Estimate(mean, Double.NaN, count);
        }
        double squares = 0;
        for (int i = 0; i < count; i++) {
            squares += (values[i] - mean) * (values[i] - mean);
        }
        return new Estimate(mean, Math.sqrt(squares / (count - 1) / count), count);
    }

    /** Accumulates values one by one (Welford), for estimates over streams too large to keep. */
    public static final class Accumulator {
        private int count;
        private double mean;
        private double m2;

        public void add(double value) {
            count++;
            double delta = value - mean;
            mean += delta / count;
            m2 += delta * (value - mean);
        }

        public Estimate estimate() {
            if (count == 0) {
                return new Estimate(Double.NaN, Double.NaN, 0);
            }
            return new Estimate(mean, count < 2 ? Double.NaN : Math.sqrt(m2 / (count - 1) / count), count);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.4f ± %.4f (n=%d)", mean, standardError, count);
    }
}
