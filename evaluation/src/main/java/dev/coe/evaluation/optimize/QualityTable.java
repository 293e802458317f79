package dev.coe.evaluation.optimize;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Per category × expert quality measured on one split, with each category's traffic share: the input of the
 * optimizer. Categories are keyed by what routing sees (the classifier's predicted category), so a cell already
 * carries the classifier's confusion: "math" holds every prompt the classifier called math, whatever it really was.
 * Immutable and thread-safe.
 */
public final class QualityTable {

    private final List<String> categories;
    private final List<String> experts;
    private final Estimate[][] cells;
    private final double[] shares;
    private final int[] counts;
    private final Estimate[] overall;
    private final double shrinkage;

    private QualityTable(List<String> categories, List<String> experts, Estimate[][] cells, double[] shares,
                         int[] counts, Estimate[] overall, double shrinkage) {
        this.categories = List.copyOf(categories);
        this.experts = List.copyOf(experts);
        this.cells = cells;
        this.shares = shares;
        this.counts = counts;
        this.overall = overall;
        this.shrinkage = shrinkage;
    }

    /**
     * Measures every expert in every category from {@code observations}; the traffic share of a category is the
     * fraction of observations that {@code categoryOf} puts in it.
     *
     * @param categories the taxonomy, in order; an observation in another category is an error
     * @param categoryOf which category keys an observation: {@link Observation#predictedCategory()} for routing,
     *                   {@link Observation#trueCategory()} only for the known-categories baseline
     * @throws OptimizerException.InvalidInput if there are no observations, or one falls outside {@code categories}
     */
    public static QualityTable fit(List<Observation> observations, List<String> categories, List<String> experts,
                                   Function<Observation, String> categoryOf) {
        if (observations.isEmpty()) {
            throw new OptimizerException.InvalidInput("no observations to fit the quality table on");
        }
        int nc = categories.size();
        int ne = experts.size();
        Estimate.Accumulator[][] acc = new Estimate.Accumulator[nc][ne];
        Estimate.Accumulator[] pooled = new Estimate.Accumulator[ne];
        for (int e = 0; e < ne; e++) {
            pooled[e] = new Estimate.Accumulator();
            for (int c = 0; c < nc; c++) {
                acc[c][e] = new Estimate.Accumulator();
            }
        }
        int[] counts = new int[nc];
        int total = 0;
        for (Observation o : observations) {
            String category = categoryOf.apply(o);
            if (category == null) {
                continue; // no label for the known-categories baseline: that item cannot take part in it
            }
            int c = categories.indexOf(category);
            if (c < 0) {
                throw new OptimizerException.InvalidInput("observation " + o.item() + " has category '" + category
                        + "', which is not in the taxonomy " + categories);
            }
            counts[c]++;
            total++;
            for (int e = 0; e < ne; e++) {
                Double score = o.scores().get(experts.get(e));
                if (score != null) {
                    acc[c][e].add(score);
                    pooled[e].add(score);
                }
            }
        }
        if (total == 0) {
            throw new OptimizerException.InvalidInput("no observation has a category to fit on");
        }
        Estimate[][] cells = new Estimate[nc][ne];
        Estimate[] overall = new Estimate[ne];
        double[] shares = new double[nc];
        for (int c = 0; c < nc; c++) {
            shares[c] = (double) counts[c] / total;
            for (int e = 0; e < ne; e++) {
                cells[c][e] = acc[c][e].estimate();
            }
        }
        for (int e = 0; e < ne; e++) {
            overall[e] = pooled[e].estimate();
        }
        return new QualityTable(categories, experts, cells, shares, counts, overall, 0);
    }

    /**
     * This table with traffic shares taken from elsewhere (live traffic counts), normalised to sum to 1.
     *
     * @throws OptimizerException.InvalidInput if a count is negative or names an unknown category, or all are 0
     */
    public QualityTable withTraffic(Map<String, ? extends Number> countsByCategory) {
        double[] next = new double[categories.size()];
        double total = 0;
        for (Map.Entry<String, ? extends Number> entry : countsByCategory.entrySet()) {
            int c = categories.indexOf(entry.getKey());
            double count = entry.getValue().doubleValue();
            if (c < 0) {
                throw new OptimizerException.InvalidInput("traffic count for unknown category '" + entry.getKey() + "'");
            }
            if (!(count >= 0) || !Double.isFinite(count)) {
                throw new OptimizerException.InvalidInput("traffic count of " + entry.getKey()
                        + " must be a finite number >= 0, but was " + count);
            }
            next[c] = count;
            total += count;
        }
        if (total <= 0) {
            throw new OptimizerException.InvalidInput("traffic counts are all 0");
        }
        for (int c = 0; c < next.length; c++) {
            next[c] /= total;
        }
        return new QualityTable(categories, experts, cells, next, counts, overall, shrinkage);
    }

    /**
     * This table with each cell's expected quality pulled toward the expert's overall quality, as if {@code k} more
     * prompts had scored that overall mean: {@code (n · cell + k · overall) / (n + k)}. A small cell's mean is mostly
     * noise, and an optimizer picking the best of many noisy cells picks noise (the winner's curse); shrinking tames
     * that, and leaves large cells almost as they are. The cells themselves ({@link #cell}) stay as measured.
     *
     * @throws IllegalArgumentException if {@code k} is negative or not finite
     */
    public QualityTable shrunk(double k) {
        if (!(k >= 0) || !Double.isFinite(k)) {
            throw new IllegalArgumentException("shrinkage must be a finite number >= 0, but was " + k);
        }
        return new QualityTable(categories, experts, cells, shares, counts, overall, k);
    }

    /** The pseudo-count of {@link #shrunk}; 0 when the cells are used as measured. */
    public double shrinkage() {
        return shrinkage;
    }

    /** The quality the optimizer expects of {@code expert} in {@code category}: the cell's mean, shrunk if asked. */
    double expected(int category, int expert) {
        Estimate cell = cells[category][expert];
        if (shrinkage == 0 || cell.count() == 0) {
            return cell.mean();
        }
        return (cell.count() * cell.mean() + shrinkage * overall[expert].mean()) / (cell.count() + shrinkage);
    }

    public List<String> categories() {
        return categories;
    }

    public List<String> experts() {
        return experts;
    }

    /** Quality of {@code expert} on prompts routed as {@code category}; count 0 when it was never scored there. */
    public Estimate cell(String category, String expert) {
        return cells[indexOf(categories, category, "category")][indexOf(experts, expert, "expert")];
    }

    Estimate cell(int category, int expert) {
        return cells[category][expert];
    }

    /** The fraction of traffic in {@code category}, between 0 and 1; the shares sum to 1. */
    public double share(String category) {
        return shares[indexOf(categories, category, "category")];
    }

    double share(int category) {
        return shares[category];
    }

    /** How many fitting items fell in {@code category} (the expert's cell count is at most this). */
    public int items(String category) {
        return counts[indexOf(categories, category, "category")];
    }

    int items(int category) {
        return counts[category];
    }

    /** How many fitting items had a category at all. */
    public int items() {
        int total = 0;
        for (int count : counts) {
            total += count;
        }
        return total;
    }

    /**
     * The fraction of the category's items that the expert was scored on. Below 1, the cell's mean may be biased:
     * recorded scores are rarely missing at random (the MMLU-Pro run of DeepSeek-Coder-V2 lacks mostly chemistry and
     * engineering questions, the hardest subjects).
     */
    public double coverage(String category, String expert) {
        int c = indexOf(categories, category, "category");
        return counts[c] == 0 ? 0 : (double) cells[c][indexOf(experts, expert, "expert")].count() / counts[c];
    }

    /** The expert's quality over every observation it was scored on, whatever the category. */
    public Estimate overall(String expert) {
        return overall[indexOf(experts, expert, "expert")];
    }

    /** Shares as a map in taxonomy order. */
    public Map<String, Double> shares() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c = 0; c < categories.size(); c++) {
            out.put(categories.get(c), shares[c]);
        }
        return Collections.unmodifiableMap(out);
    }

    /** The categories with traffic but without any scored expert: the optimizer cannot choose for them. */
    public List<String> categoriesWithoutScores() {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < categories.size(); c++) {
            boolean any = false;
            for (int e = 0; e < experts.size(); e++) {
                any |= cells[c][e].count() > 0;
            }
            if (shares[c] > 0 && !any) {
                out.add(categories.get(c));
            }
        }
        return out;
    }

    private static int indexOf(List<String> ids, String id, String what) {
        int i = ids.indexOf(Objects.requireNonNull(id, what));
        if (i < 0) {
            throw new IllegalArgumentException("unknown " + what + " '" + id + "'; known: " + ids);
        }
        return i;
    }
}
