package dev.coe.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * How one resource moved over the measured samples of a soak run (warm-up already dropped): the median and the
 * maximum of the first and of the last third of the samples, and the least-squares slope per minute. Immutable.
 *
 * @param samples        how many samples it was computed from
 * @param slopePerMinute least-squares slope of the values against time, per minute
 */
record Trend(int samples, double firstMedian, double firstMax, double lastMedian, double lastMax, double slopePerMinute) {

    /** Fewer measured samples than this give no verdict: the thirds would be a single sample each. */
    static final int MIN_SAMPLES = 3;

    /**
     * @param minutes when each sample was taken, in minutes, ascending
     * @param values  the resource at those times
     * @throws IllegalArgumentException when the arrays differ in length or hold fewer than {@link #MIN_SAMPLES}
     */
    static Trend of(double[] minutes, double[] values) {
        if (minutes.length != values.length) {
            throw new IllegalArgumentException("minutes and values must be as many, but were " + minutes.length + " and " + values.length);
        }
        if (values.length < MIN_SAMPLES) {
            throw new IllegalArgumentException("a trend needs at least " + MIN_SAMPLES + " samples, but had " + values.length);
        }
        int n = values.length;
        int third = Math.max(1, n / 3);
        double[] first = Arrays.copyOfRange(values, 0, third);
        double[] last = Arrays.copyOfRange(values, n - third, n);
        return new Trend(n, median(first), max(first), median(last), max(last), slope(minutes, values));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    private static double slope(double[] x, double[] y) {
        double meanX = Arrays.stream(x).average().orElse(0);
        double meanY = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - meanX) * (y[i] - meanY);
            sxx += (x[i] - meanX) * (x[i] - meanX);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }

    /** When a resource counts as flat. Immutable. */
    sealed interface Tolerance {

        boolean flat(Trend trend);

        /** The rule in words, for the report, with the resource's unit. */
        String describe(String unit);

        /**
         * Memory: flat when it grows by less than {@code maxSlopePerMinute} per minute and the last third's median is
         * within {@code relative} (a fraction) or {@code absolute}, whichever is larger, of the first third's.
         */
        record Memory(double maxSlopePerMinute, double relative, double absolute) implements Tolerance {
            @Override
            public boolean flat(Trend t) {
                return t.slopePerMinute() < maxSlopePerMinute
                        && t.lastMedian() <= t.firstMedian() + Math.max(relative * t.firstMedian(), absolute);
            }

            @Override
            public String describe(String unit) {
                return String.format(Locale.ROOT, "slope < %s %s/min, last-third median ≤ first-third median + max(%.0f %%, %s %s)",
                        number(maxSlopePerMinute), unit, relative * 100, number(absolute), unit);
            }
        }

        /** Counts (threads, descriptors, connections): flat when the last third's maximum exceeds the first third's by at most {@code extra}. */
        record Count(double extra) implements Tolerance {
            @Override
            public boolean flat(Trend t) {
                return t.lastMax() <= t.firstMax() + extra;
            }

            @Override
            public String describe(String unit) {
                return "last-third max ≤ first-third max + " + number(extra);
            }
        }

        private static String number(double value) {
            return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
        }
    }
}
