package dev.coe.evaluation.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The exact Pareto frontier of category → expert mappings: every mapping that no other mapping beats on both average
 * cost and expected quality, cheapest first. Budget queries read the best point at or under the budget. Immutable and
 * thread-safe.
 *
 * <p>Choosing one expert per category under a budget on the traffic-weighted average cost is a multiple-choice
 * knapsack. Cost and quality are both sums over categories of share × cell, so the frontier is built category by
 * category, keeping only the non-dominated partial mappings after each (dominated partial mappings cannot become
 * part of a non-dominated whole: swapping in the prefix that dominates them would dominate the whole). This is exact,
 * not a Lagrangian approximation, and the sums are formed in the same order as a brute-force enumeration would, so
 * the tests can compare with one bit for bit.
 *
 * <p>Ties are broken deterministically: of two mappings with equal cost and quality, the one whose experts come
 * first in {@link QualityTable#experts()} order (compared category by category, in taxonomy order) is kept.
 *
 * <p>An expert is a candidate for a category only when it has a cost in the chosen {@link CostBasis} and was scored
 * on at least {@code minCoverage} of the category's items (default {@value #DEFAULT_MIN_COVERAGE}): a mean over the
 * items an expert happens to have scores for is biased when the gaps are not random. Experts never a candidate are
 * listed by {@link #excluded()}. A category without traffic in the
 * table gets a default after the fact: the best expert overall whose cost is within the point's own average cost
 * (else the cheapest), so an unseen category never raises the cost a point promises.
 */
public final class ParetoFrontier {

    /** Fraction of a category's items an expert must be scored on to be chosen for it. */
    public static final double DEFAULT_MIN_COVERAGE = 0.99;

    private final QualityTable table;
    private final CostBasis basis;
    private final double[] costs;
    private final Map<String, String> excluded;
    private final List<Mapping> points;
    private final double minCoverage;

    private ParetoFrontier(QualityTable table, CostBasis basis, double[] costs, Map<String, String> excluded,
                           List<Mapping> points, double minCoverage) {
        this.table = table;
        this.basis = basis;
        this.costs = costs;
        this.minCoverage = minCoverage;
        this.excluded = Collections.unmodifiableMap(excluded);
        this.points = List.copyOf(points);
    }

    /**
     * Builds the frontier of {@code table} with expert costs in {@code basis}.
     *
     * @throws OptimizerException.NothingToChoose if a category with traffic has no candidate expert
     */
    public static ParetoFrontier of(QualityTable table, List<ExpertCost> expertCosts, CostBasis basis) {
        return of(table, expertCosts, basis, DEFAULT_MIN_COVERAGE);
    }

    /**
     * Like {@link #of(QualityTable, List, CostBasis)}, with another coverage an expert needs in a category.
     *
     * @throws IllegalArgumentException if {@code minCoverage} is not in (0, 1]
     */
    public static ParetoFrontier of(QualityTable table, List<ExpertCost> expertCosts, CostBasis basis, double minCoverage) {
        if (!(minCoverage > 0 && minCoverage <= 1)) {
            throw new IllegalArgumentException("minCoverage must be in (0, 1], but was " + minCoverage);
        }
        List<String> experts = table.experts();
        double[] costs = new double[experts.size()];
        Map<String, String> excluded = new LinkedHashMap<>();
        for (int e = 0; e < experts.size(); e++) {
            String id = experts.get(e);
            OptionalDouble cost = expertCosts.stream().filter(x -> x.id().equals(id)).findFirst()
                    .map(basis::costOf).orElse(OptionalDouble.empty());
            costs[e] = cost.orElse(Double.NaN);
            if (cost.isEmpty()) {
                excluded.put(id, "no cost in " + basis.unit());
            } else if (table.overall(id).count() == 0) {
                excluded.put(id, "no recorded score");
            }
        }
        List<Integer> covered = new ArrayList<>();
        List<Integer> routed = new ArrayList<>();
        List<int[]> candidates = new ArrayList<>();
        for (int c = 0; c < table.categories().size(); c++) {
            if (table.share(c) == 0) {
                continue;
            }
            int[] eligible = eligible(table, costs, c, minCoverage);
            if (eligible.length == 0) {
                throw new OptimizerException.NothingToChoose("category '" + table.categories().get(c)
                        + "' has traffic but no expert that is both scored on " + Math.round(100 * minCoverage)
                        + "% of its items and priced in " + basis.unit());
            }
            for (int e : eligible) {
                covered.add(e);
            }
            routed.add(c);
            candidates.add(eligible);
        }
        List<Partial> frontier = List.of(new Partial(0.0, 0.0, new int[0]));
        for (int k = 0; k < routed.size(); k++) {
            int c = routed.get(k);
            double share = table.share(c);
            List<Partial> next = new ArrayList<>(frontier.size() * candidates.get(k).length);
            for (Partial p : frontier) {
                for (int e : candidates.get(k)) {
                    next.add(p.extend(share * costs[e], share * table.expected(c, e), e));
                }
            }
            frontier = prune(next);
        }
        for (int e = 0; e < experts.size(); e++) {
            if (!excluded.containsKey(experts.get(e)) && !covered.contains(e)) {
                excluded.put(experts.get(e), "scored on less than " + Math.round(100 * minCoverage)
                        + "% of every category's items");
            }
        }
        ParetoFrontier result = new ParetoFrontier(table, basis, costs, excluded, List.of(), minCoverage);
        List<Mapping> mappings = frontier.stream().map(p -> result.toMapping(routed, p)).toList();
        return new ParetoFrontier(table, basis, costs, excluded, mappings, minCoverage);
    }

    /** The frontier, cheapest first; quality rises strictly with cost along it. */
    public List<Mapping> points() {
        return points;
    }

    /** The best mapping whose average cost is at most {@code budget}, or empty when even the cheapest costs more. */
    public Optional<Mapping> best(double budget) {
        Mapping best = null;
        for (Mapping m : points) {
            if (m.cost() <= budget) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The mapping that sends every category to {@code expert}, with its in-sample cost and quality. */
    public Mapping single(String expert) {
        int e = table.experts().indexOf(expert);
        if (e < 0 || Double.isNaN(costs[e])) {
            throw new IllegalArgumentException("expert '" + expert + "' is not priced in " + basis.unit());
        }
        Map<String, String> all = new LinkedHashMap<>();
        double quality = 0;
        for (int c = 0; c < table.categories().size(); c++) {
            all.put(table.categories().get(c), expert);
            if (table.share(c) > 0) {
                quality += table.share(c) * table.expected(c, e);
            }
        }
        return new Mapping(all, costs[e], quality);
    }

    /** Experts that are never chosen, with the reason (no cost in this basis, no score). */
    public Map<String, String> excluded() {
        return excluded;
    }

    public CostBasis basis() {
        return basis;
    }

    public QualityTable table() {
        return table;
    }

    /** The cost of one expert in this frontier's basis. @throws IllegalArgumentException when it has none */
    public double cost(String expert) {
        int e = table.experts().indexOf(expert);
        if (e < 0 || Double.isNaN(costs[e])) {
            throw new IllegalArgumentException("expert '" + expert + "' has no cost in " + basis.unit());
        }
        return costs[e];
    }

    private Mapping toMapping(List<Integer> routed, Partial p) {
        Map<String, String> chosen = new LinkedHashMap<>();
        String fallback = table.experts().get(defaultExpert(p.cost));
        for (int c = 0; c < table.categories().size(); c++) {
            int k = routed.indexOf(c);
            chosen.put(table.categories().get(c), k >= 0 ? table.experts().get(p.choices[k]) : fallback);
        }
        return new Mapping(chosen, p.cost, p.quality);
    }

    /**
     * Best pooled quality among experts that can serve alone and cost at most {@code budget}; the cheapest of them when
     * none is within budget; any priced, scored expert when none can serve alone.
     */
    private int defaultExpert(double budget) {
        int best = -1;
        int cheapest = -1;
        for (int e = 0; e < costs.length; e++) {
            String id = table.experts().get(e);
            if (!canServeAlone(id)) {
                continue;
            }
            if (cheapest < 0 || costs[e] < costs[cheapest]) {
                cheapest = e;
            }
            if (costs[e] <= budget && (best < 0 || table.overall(id).mean() > table.overall(table.experts().get(best)).mean())) {
                best = e;
            }
        }
        if (best >= 0 || cheapest >= 0) {
            return best >= 0 ? best : cheapest;
        }
        for (int e = 0; e < costs.length; e++) {
            if (!Double.isNaN(costs[e]) && table.overall(table.experts().get(e)).count() > 0) {
                return e;
            }
        }
        throw new OptimizerException.NothingToChoose("no expert is both scored and priced in " + basis.unit());
    }

    private static int[] eligible(QualityTable table, double[] costs, int c, double minCoverage) {
        return java.util.stream.IntStream.range(0, costs.length)
                .filter(e -> !Double.isNaN(costs[e]) && table.cell(c, e).count() > 0
                        && table.cell(c, e).count() >= minCoverage * table.items(c)).toArray();
    }

    /** Whether {@code expert} is priced and scored on at least the minimum coverage of all fitting items. */
    public boolean canServeAlone(String expert) {
        int e = table.experts().indexOf(expert);
        return e >= 0 && !Double.isNaN(costs[e]) && table.overall(expert).count() >= minCoverage * table.items();
    }

    /** Keeps the non-dominated partial mappings, cheapest first; of equal ones, the first in expert order. */
    static List<Partial> prune(List<Partial> candidates) {
        List<Partial> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble((Partial p) -> p.cost)
                .thenComparing(Comparator.comparingDouble((Partial p) -> p.quality).reversed())
                .thenComparing((a, b) -> Arrays.compare(a.choices, b.choices)));
        List<Partial> kept = new ArrayList<>();
        double bestQuality = Double.NEGATIVE_INFINITY;
        for (Partial p : sorted) {
            if (p.quality > bestQuality) {
                kept.add(p);
                bestQuality = p.quality;
            }
        }
        return kept;
    }

    /** A mapping of the first categories: cost and quality so far, and the expert index chosen for each. */
    record Partial(double cost, double quality, int[] choices) {
        Partial extend(double addedCost, double addedQuality, int expert) {
            int[] next = Arrays.copyOf(choices, choices.length + 1);
            next[choices.length] = expert;
            return new Partial(cost + addedCost, quality + addedQuality, next);
        }
    }
}
