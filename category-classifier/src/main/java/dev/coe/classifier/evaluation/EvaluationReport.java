package dev.coe.classifier.evaluation;

import dev.coe.classifier.Classification;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Figures of a classifier on labelled prompts: accuracy (strict, and lenient where a second label is
 * accepted), macro-F1, per-category precision and recall, the confusion matrix, ECE with a
 * reliability table, how often the answer counts as uncertain, the predicted category mix and
 * latency percentiles. Collect with {@link #add} (and {@link #addUnlabelled} for prompts that fit
 * no category), then read {@link #text()} and {@link #summaryJson()}. Not thread-safe.
 */
public final class EvaluationReport {

    /** The router's default confidence threshold ({@code default-threshold} in {@code config/routing.yaml}). */
    public static final double DEFAULT_UNCERTAIN_THRESHOLD = 0.30;

    private static final double[] RELIABILITY_BINS = {0.3, 0.5, 0.7, 0.9, 1.0};

    private final List<String> categories;
    private final double uncertainThreshold;
    private final int[][] confusion; // [expected][predicted]
    private final List<Double> confidence = new ArrayList<>();
    private final List<Boolean> correct = new ArrayList<>();
    private final List<Boolean> lenientCorrect = new ArrayList<>();
    private final List<Long> latencyNanos = new ArrayList<>();
    private final int[] predictedUnlabelled;
    private final List<Double> unlabelledConfidence = new ArrayList<>();
    private final List<Boolean> uncertain = new ArrayList<>();
    private int unlabelledUncertain;
    private boolean anyAlternative;

    public EvaluationReport(List<String> categories) {
        this(categories, DEFAULT_UNCERTAIN_THRESHOLD);
    }

    /**
     * @param uncertainThreshold confidence below which an answer counts as uncertain (the router then
     *                           takes the fallback chain)
     * @throws IllegalArgumentException unless {@code 0 <= uncertainThreshold <= 1}
     */
    public EvaluationReport(List<String> categories, double uncertainThreshold) {
        if (!(uncertainThreshold >= 0 && uncertainThreshold <= 1)) {
            throw new IllegalArgumentException("uncertainThreshold must be between 0 and 1, but was " + uncertainThreshold);
        }
        this.categories = List.copyOf(categories);
        this.uncertainThreshold = uncertainThreshold;
        this.confusion = new int[categories.size()][categories.size()];
        this.predictedUnlabelled = new int[categories.size()];
    }

    /**
     * Records one prediction.
     *
     * @throws IllegalArgumentException if a category is not one of the report's
     */
    public void add(String expected, String predicted, double confidence, long latencyNanos) {
        add(expected, List.of(), predicted, confidence, latencyNanos);
    }

    /**
     * Records one prediction whose prompt has a second defensible label: the strict figures count
     * only {@code expected}, {@link #lenientAccuracy()} also {@code alsoAccepted}.
     *
     * @throws IllegalArgumentException if a category is not one of the report's
     */
    public void add(String expected, Collection<String> alsoAccepted, String predicted, double confidence,
                    long latencyNanos) {
        add(expected, alsoAccepted, predicted, confidence, confidence < uncertainThreshold, latencyNanos);
    }

    /**
     * Records one classification as the router would see it: uncertain as {@link Classification#isUncertain} says
     * at this report's threshold, so a prompt in a foreign script counts as uncertain whatever its confidence.
     *
     * @throws IllegalArgumentException if a category is not one of the report's
     */
    public void add(String expected, Collection<String> alsoAccepted, Classification result, long latencyNanos) {
        add(expected, alsoAccepted, result.category(), result.confidence(), result.isUncertain(uncertainThreshold),
                latencyNanos);
    }

    private void add(String expected, Collection<String> alsoAccepted, String predicted, double confidence,
                     boolean uncertain, long latencyNanos) {
        int e = index(expected);
        int p = index(predicted);
        alsoAccepted.forEach(this::index);
        confusion[e][p]++;
        this.confidence.add(confidence);
        this.correct.add(e == p);
        this.lenientCorrect.add(e == p || alsoAccepted.contains(predicted));
        this.latencyNanos.add(latencyNanos);
        this.uncertain.add(uncertain);
        anyAlternative |= !alsoAccepted.isEmpty();
    }

    /**
     * Records the prediction for a prompt that fits no category: it counts in the predicted mix and
     * the uncertain rate, not in accuracy, calibration or latency.
     *
     * @throws IllegalArgumentException if the category is not one of the report's
     */
    public void addUnlabelled(String predicted, double confidence) {
        addUnlabelled(predicted, confidence, confidence < uncertainThreshold);
    }

    /** {@link #addUnlabelled(String, double)} for a classification, uncertain as {@link Classification#isUncertain} says. */
    public void addUnlabelled(Classification result) {
        addUnlabelled(result.category(), result.confidence(), result.isUncertain(uncertainThreshold));
    }

    private void addUnlabelled(String predicted, double confidence, boolean uncertain) {
        predictedUnlabelled[index(predicted)]++;
        unlabelledConfidence.add(confidence);
        unlabelledUncertain += uncertain ? 1 : 0;
    }

    public int size() {
        return correct.size();
    }

    public double accuracy() {
        return share(correct);
    }

    /**
     * The 95 % Wilson score interval of {@link #accuracy()}, {@code {low, high}}: how far the accuracy of this many
     * prompts may sit from the classifier's accuracy on prompts like them. On MT-Bench's 80 questions, 0.85 means
     * anything from about 0.76 to 0.91, one question is 1.25 points, and a target met with no question to spare is
     * met by luck as much as by skill. Wilson's interval, unlike the normal approximation, stays inside [0, 1] and
     * holds up for small sets and accuracies near 1 (Brown, Cai and DasGupta, "Interval Estimation for a Binomial
     * Proportion", 2001).
     */
    public double[] accuracyInterval95() {
        int n = size();
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double z = 1.959964;
        double p = accuracy();
        double z2n = z * z / n;
        double centre = (p + z2n / 2) / (1 + z2n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2n / (4 * n)) / (1 + z2n);
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /** Accuracy when a prompt's alternative label also counts as right; equals {@link #accuracy()} without alternatives. */
    public double lenientAccuracy() {
        return share(lenientCorrect);
    }

    /**
     * Share of all prompts, unlabelled ones included, that count as uncertain: confidence below the threshold, or
     * (when recorded as a {@link Classification}) a prompt in a foreign script.
     */
    public double uncertainRate() {
        long uncertain = this.uncertain.stream().filter(u -> u).count() + unlabelledUncertain;
        return uncertain / (double) Math.max(1, size() + unlabelledConfidence.size());
    }

    /** How often each category was predicted, over all prompts (unlabelled ones included), in taxonomy order. */
    public Map<String, Integer> predictedCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int p = 0; p < categories.size(); p++) {
            int n = predictedUnlabelled[p];
            for (int[] row : confusion) {
                n += row[p];
            }
            counts.put(categories.get(p), n);
        }
        return counts;
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
        double[] interval = accuracyInterval95();
        out.append(String.format(Locale.ROOT, "n=%d  accuracy=%.3f (95 %% interval %.3f-%.3f)  macro-F1=%.3f  "
                        + "ECE(15 bins)=%.3f  latency p50=%.1f ms p99=%.1f ms%n%n", size(), accuracy(), interval[0],
                interval[1], macroF1(), ece(), latencyMillis(0.5), latencyMillis(0.99)));
        out.append(String.format(Locale.ROOT, "%-12s %9s %7s %7s %5s%n", "category", "precision", "recall", "F1", "n"));
        for (int c = 0; c < categories.size(); c++) {
            out.append(String.format(Locale.ROOT, "%-12s %9.3f %7.3f %7.3f %5d%n", categories.get(c), precision(c),
                    recall(c), f1(c), Arrays.stream(confusion[c]).sum()));
        }
        if (anyAlternative) {
            out.append(String.format(Locale.ROOT, "%nlenient accuracy (alternative label accepted)=%.3f%n", lenientAccuracy()));
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
        appendReliability(out);
        appendUncertainAndMix(out);
        return out.toString();
    }

    private void appendReliability(StringBuilder out) {
        out.append("\nreliability (labelled prompts): confidence bin, n, mean confidence, accuracy\n");
        double lower = 0;
        for (double upper : RELIABILITY_BINS) {
            double sum = 0;
            int n = 0;
            int right = 0;
            for (int i = 0; i < size(); i++) {
                double c = confidence.get(i);
                if (c >= lower && (c < upper || upper == 1.0)) {
                    sum += c;
                    n++;
                    right += correct.get(i) ? 1 : 0;
                }
            }
            out.append(String.format(Locale.ROOT, "  [%.1f, %.1f%s %5d %8s %8s%n", lower, upper, upper == 1.0 ? "]" : ")",
                    n, n == 0 ? "-" : String.format(Locale.ROOT, "%.3f", sum / n),
                    n == 0 ? "-" : String.format(Locale.ROOT, "%.3f", right / (double) n)));
            lower = upper;
        }
    }

    private void appendUncertainAndMix(StringBuilder out) {
        int all = size() + unlabelledConfidence.size();
        int confident = 0;
        int confidentRight = 0;
        for (int i = 0; i < size(); i++) {
            if (!uncertain.get(i)) {
                confident++;
                confidentRight += correct.get(i) ? 1 : 0;
            }
        }
        int uncertainLabelled = size() - confident;
        out.append(String.format(Locale.ROOT, "%nuncertain (confidence < %.2f, or a foreign script): %.1f %% of %d prompts; labelled: "
                        + "accuracy %.3f on the %d confident, %.3f on the %d uncertain%n", uncertainThreshold,
                100 * uncertainRate(), all, confident == 0 ? 0 : confidentRight / (double) confident, confident,
                uncertainLabelled == 0 ? 0 : (correct.stream().filter(c -> c).count() - confidentRight)
                        / (double) uncertainLabelled, uncertainLabelled));
        out.append(String.format("predicted categories over all %d prompts%s:", all,
                unlabelledConfidence.isEmpty() ? "" : " (" + unlabelledConfidence.size() + " unlabelled included)"));
        predictedCounts().forEach((category, n) -> out.append(String.format(Locale.ROOT, " %s %d (%.1f %%)",
                category, n, 100.0 * n / Math.max(1, all))));
        out.append('\n');
    }

    /**
     * One JSON object: {@code {"accuracy", "macro_f1", "ece", "p50_ms", "p99_ms", "accuracy_ci95", "uncertain_rate",
     * "n"}} ({@code accuracy_ci95} is {@link #accuracyInterval95()} as a two-number array),
     * with {@code "lenient_accuracy"} where a prompt had an alternative label and {@code "unlabelled"}
     * where prompts without a category were classified; {@code n} counts the labelled prompts.
     */
    public String summaryJson() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("accuracy", round(accuracy()));
        summary.put("macro_f1", round(macroF1()));
        summary.put("ece", round(ece()));
        summary.put("p50_ms", round(latencyMillis(0.5)));
        summary.put("p99_ms", round(latencyMillis(0.99)));
        double[] interval = accuracyInterval95();
        summary.put("accuracy_ci95", "[" + round(interval[0]) + ", " + round(interval[1]) + "]");
        if (anyAlternative) {
            summary.put("lenient_accuracy", round(lenientAccuracy()));
        }
        summary.put("uncertain_rate", round(uncertainRate()));
        if (!unlabelledConfidence.isEmpty()) {
            summary.put("unlabelled", unlabelledConfidence.size());
        }
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

    private static double share(List<Boolean> outcomes) {
        return outcomes.stream().filter(c -> c).count() / (double) Math.max(1, outcomes.size());
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
