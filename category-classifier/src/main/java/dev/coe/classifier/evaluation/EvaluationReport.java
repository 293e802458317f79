package dev.coe.classifier.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figures of a classifier on labelled prompts: accuracy, macro-F1, per-category precision and
 * recall, the confusion matrix, ECE and latency percentiles. Collect with {@link #add}, then read
 * {@link #text()} and {@link #summaryJson()}. Not thread-safe.
 */
public final class EvaluationReport {

    private final List<String> categories;
    private final int[][] confusion; // [expected][predicted]
    private final List<Double> confidence = new ArrayList<>();
    private final List<Boolean> correct = new ArrayList<>();
    private final List<Long> latencyNanos = new ArrayList<>();

    public EvaluationReport(List<String> categories) {
        this.categories = List.copyOf(categories);
        this.confusion = new int[categories.size()][categories.size()];
    }

    /**
     * Records one prediction.
     *
     * @throws IllegalArgumentException if a category is not one of the report's
     */
    public void add(String expected, String predicted, double confidence, long latencyNanos) {
        int e = index(expected);
        int p = index(predicted);
        confusion[e][p]++;
        this.confidence.add(confidence);
        this.correct.add(e == p);
        this.latencyNanos.add(latencyNanos);
    }

    public int size() {
        return correct.size();
    }

    public double accuracy() {
        return correct.stream().filter(c -> c).count() / (double) Math.max(1, size());
    }

    public double precision(int category) {
        int predicted = 0;
        for (int[] row : confusion) {
            predicted += row[category];
        }
        return predicted == 0 ? 0 : confusion[category][category] / (double) predicted;
    }

    public double recall(int category) {
        int expected = Arrays.stream(confusion[category]).sum();
        return expected == 0 ? 0 : confusion[category][category] / (double) expected;
    }

    public double f1(int category) {
        double p = precision(category);
        double r = recall(category);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Mean F1 over the categories that occur as expected or predicted labels (as scikit-learn does). */
    public double macroF1() {
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < categories.size(); c++) {
            if (occurs(c)) {
                sum += f1(c);
                counted++;
            }
        }
        return counted == 0 ? 0 : sum / counted;
    }

    /** ECE with {@value CalibrationError#DEFAULT_BINS} bins. */
    public double ece() {
        return CalibrationError.expected(confidence.stream().mapToDouble(Double::doubleValue).toArray(),
                toArray(correct));
    }

    /** Latency percentile in milliseconds (nearest rank), e.g. {@code latencyMillis(0.5)}. */
    public double latencyMillis(double quantile) {
        long[] sorted = latencyNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.clamp(rank, 0, sorted.length - 1)] / 1e6;
    }

    /** A human-readable report: headline figures, per-category table and confusion matrix. */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "n=%d  accuracy=%.3f  macro-F1=%.3f  ECE(15 bins)=%.3f  "
                        + "latency p50=%.1f ms p99=%.1f ms%n%n", size(), accuracy(), macroF1(), ece(),
                latencyMillis(0.5), latencyMillis(0.99)));
        out.append(String.format(Locale.ROOT, "%-12s %9s %7s %7s %5s%n", "category", "precision", "recall", "F1", "n"));
        for (int c = 0; c < categories.size(); c++) {
            out.append(String.format(Locale.ROOT, "%-12s %9.3f %7.3f %7.3f %5d%n", categories.get(c), precision(c),
                    recall(c), f1(c), Arrays.stream(confusion[c]).sum()));
        }
        out.append("\nconfusion matrix (rows: expected, columns: predicted)\n");
        out.append(String.format("%-12s", ""));
        categories.forEach(c -> out.append(String.format(" %5.5s", c)));
        out.append('\n');
        for (int e = 0; e < categories.size(); e++) {
            out.append(String.format("%-12s", categories.get(e)));
            for (int p = 0; p < categories.size(); p++) {
                out.append(String.format(" %5d", confusion[e][p]));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** One JSON object: {@code {"accuracy", "macro_f1", "ece", "p50_ms", "p99_ms", "n"}}. */
    public String summaryJson() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("accuracy", round(accuracy()));
        summary.put("macro_f1", round(macroF1()));
        summary.put("ece", round(ece()));
        summary.put("p50_ms", round(latencyMillis(0.5)));
        summary.put("p99_ms", round(latencyMillis(0.99)));
        summary.put("n", size());
        StringBuilder json = new StringBuilder("{");
        summary.forEach((k, v) -> json.append(json.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(v));
        return json.append('}').toString();
    }

    private boolean occurs(int category) {
        return Arrays.stream(confusion[category]).sum() > 0 || precision(category) > 0
                || Arrays.stream(confusion).anyMatch(row -> row[category] > 0);
    }

    private int index(String category) {
        int i = categories.indexOf(category);
        if (i < 0) {
            throw new IllegalArgumentException("unknown category '" + category + "'; known categories are " + categories);
        }
        return i;
    }

    private static String round(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static boolean[] toArray(List<Boolean> values) {
        boolean[] out = new boolean[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
