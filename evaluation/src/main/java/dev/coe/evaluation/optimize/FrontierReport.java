package dev.coe.evaluation.optimize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The optimizer's result for one suite: the frontier fitted on one split and scored on the other, every single expert
 * and the live mapping scored the same way, and the answers to the budget questions. Every quality figure in it is
 * held-out; the fitting split's figures are kept as {@code fitCost}/{@code fitQuality} for the chart only. Immutable.
 *
 * @param suite         what was evaluated, e.g. {@code mmlu-pro}
 * @param classifier    the classifier's version (the categories it predicted key the mapping)
 * @param classifierAccuracy how often its prediction equals the true category, on labelled held-out items
 * @param basis         the cost basis of every cost figure
 * @param frontier      the Pareto frontier, cheapest first
 * @param singles       every priced single expert, best held-out quality first
 * @param live          the live mapping, or null when its experts are not all scored and priced here
 * @param bestSingle    the single expert with the best quality on the fitting split
 * @param budgets       answers to the budget questions, by name (e.g. {@code 40% of best single})
 * @param knownCategories the same budget answered by a mapping keyed by true categories (not reachable by a router),
 *                      fitted on the fitting split, and the {@link #UPPER_BOUND} answers fitted on the held-out one
 * @param excluded      experts left out, with the reason
 * @param shrinkage     pseudo-count small cells were shrunk with ({@link QualityTable#shrunk}); 0: none
 * @param shrinkageCv   cross-validated quality (fitting split only) of each candidate pseudo-count, when chosen so
 * @param shares        traffic share of each predicted category on the fitting split
 * @param cells         fitting-split quality per category → expert (mean, standard error, count)
 */
public record FrontierReport(String suite, String classifier, Estimate classifierAccuracy, CostBasis basis, int fitItems,
                             int heldOutItems,
                             List<Point> frontier, List<Point> singles, Point live, Point bestSingle,
                             Map<String, Point> budgets, Map<String, Point> knownCategories,
                             Map<String, String> excluded, double shrinkage, Map<Double, Estimate> shrinkageCv,
                             Map<String, Double> shares,
                             Map<String, Map<String, Estimate>> cells) {

    /** Name of the cheapest frontier point whose fitting-split quality reaches the best single expert's. */
    public static final String MATCH = "cheapest matching best single (fit)";
    /**
     * Prefix of the upper-bound answers in {@link #knownCategories}: true categories and experts chosen on the
     * held-out split itself (in-sample on purpose), so that no mapping of these experts does better on that split.
     * They say whether a budget question has an answer at all, and are never a result.
     */
    public static final String UPPER_BOUND = "upper bound (held-out split, in-sample), ";

    /**
     * One mapping scored on the held-out split.
     *
     * @param fitCost        average cost on the fitting split (what the budget constrains)
     * @param fitQuality     expected quality on the fitting split (in-sample: never a result)
     * @param cost           average cost of the experts routed to on the held-out split
     * @param quality        held-out quality with its standard error
     * @param vsBestSingle   paired held-out difference to the best single expert; null for that expert itself
     */
    public record Point(String label, Map<String, String> mapping, double fitCost, double fitQuality, double cost,
                       Estimate quality, int unscored, Estimate vsBestSingle) {
    }

    /**
     * Fits on {@code fit}, scores on {@code heldOut}.
     *
     * @param budgetFractions fractions of the best single expert's cost to answer, e.g. 0.4 and 1.0
     * @param liveMapping     the live mapping by category (first expert of each chain), or empty
     */
    public static FrontierReport build(String suite, String classifier, List<String> categories, List<ExpertCost> experts,
                                       CostBasis basis, List<Observation> fit, List<Observation> heldOut,
                                       List<Double> budgetFractions, Optional<Map<String, String>> liveMapping) {
        return build(suite, classifier, categories, experts, basis, fit, heldOut, budgetFractions, liveMapping,
                ParetoFrontier.DEFAULT_MIN_COVERAGE, java.util.OptionalDouble.of(0), Map.of());
    }

    /**
     * Like the other {@code build}, with another coverage an expert needs to be chosen for a category, a shrinkage
     * pseudo-count (empty: chosen by cross-validation inside the fitting split), and traffic counts per category
     * (e.g. from the router's live view) that weight the categories instead of the fitting split's own shares (empty
     * map). Traffic counts change which mapping each budget gets and its fitted cost; the held-out figures stay those
     * of the held-out split's own mix of categories.
     */
    public static FrontierReport build(String suite, String classifier, List<String> categories, List<ExpertCost> experts,
                                       CostBasis basis, List<Observation> fit, List<Observation> heldOut,
                                       List<Double> budgetFractions, Optional<Map<String, String>> liveMapping,
                                       double minCoverage, java.util.OptionalDouble shrinkage,
                                       Map<String, ? extends Number> traffic) {
        List<String> ids = experts.stream().map(ExpertCost::id).toList();
        QualityTable fitted = QualityTable.fit(fit, categories, ids, Observation::predictedCategory);
        QualityTable measured = traffic.isEmpty() ? fitted : fitted.withTraffic(traffic);
        ShrinkageSelection.Result shrink = shrinkage.isPresent()
                ? new ShrinkageSelection.Result(shrinkage.getAsDouble(), Map.of())
                : chooseShrinkage(measured, fit, categories, experts, basis, minCoverage, budgetFractions);
        final double k = shrink.chosen();
        QualityTable table = measured.shrunk(k);
        ParetoFrontier frontier = ParetoFrontier.of(table, experts, basis, minCoverage);
        Map<String, Double> costs = new HashMap<>();
        ids.stream().filter(id -> !frontier.excluded().containsKey(id)).forEach(id -> costs.put(id, frontier.cost(id)));
        if (costs.isEmpty()) {
            throw new OptimizerException.NothingToChoose("no expert is both scored and priced in " + basis.unit());
        }
        Map<String, String> excluded = new LinkedHashMap<>(frontier.excluded());
        costs.keySet().stream().sorted().filter(id -> !frontier.canServeAlone(id)).forEach(id -> excluded.put(id,
                String.format(java.util.Locale.ROOT, "no single-expert baseline: scored on %.1f%% of the fitting items",
                        100.0 * table.overall(id).count() / table.items())));
        Mapping best = bestSingle(frontier, costs.keySet(), categories.getFirst());
        Scorer scorer = new Scorer(heldOut, costs, best);
        Point bestPoint = scorer.point("best single: " + best.expert(categories.getFirst()), best);

        List<Point> frontierPoints = new ArrayList<>();
        for (int i = 0; i < frontier.points().size(); i++) {
            frontierPoints.add(scorer.point("frontier #" + (i + 1), frontier.points().get(i)));
        }
        List<Point> singles = costs.keySet().stream().sorted().filter(frontier::canServeAlone)
                .map(id -> scorer.point(id, frontier.single(id)))
                .sorted(Comparator.comparingDouble((Point p) -> p.quality().mean()).reversed()).toList();
        Point live = liveMapping.filter(m -> costs.keySet().containsAll(m.values()) && m.keySet().containsAll(categories))
                .map(m -> scorer.point("live", liveMapping(m, table, costs)))
                .orElse(null);

        Map<String, Point> budgets = new LinkedHashMap<>();
        Map<String, Point> known = new LinkedHashMap<>();
        // Suites without labels (arena prompts) have no known-categories baseline.
        Optional<ParetoFrontier> knownFrontier = byTrueCategory(fit, k, categories, experts, basis, minCoverage);
        // The upper bound: true categories, experts chosen on the held-out split itself. In-sample on purpose: no
        // mapping of these experts, by any classifier or fitting, scores more on this split at that cost, so it
        // says whether a budget question can be answered at all. Never a result a router reaches.
        Optional<ParetoFrontier> boundFrontier = byTrueCategory(heldOut, 0, categories, experts, basis, minCoverage);
        for (double fraction : budgetFractions) {
            double budget = fraction * best.cost();
            String name = String.format(java.util.Locale.ROOT, "<= %.0f%% of best single (%.2f)", 100 * fraction, budget);
            frontier.best(budget).ifPresent(m -> budgets.put(name, scorer.point(name, m)));
            knownFrontier.flatMap(f -> f.best(budget)).ifPresent(m -> known.put(name, scorer.knownPoint(name, m)));
            boundFrontier.flatMap(f -> f.best(budget)).ifPresent(m -> known.put(UPPER_BOUND + name,
                    scorer.knownPoint(UPPER_BOUND + name, m)));
        }
        // The cheapest mapping that promises the best single's quality on the fitting split: chosen without looking
        // at the held-out split, so its held-out figure is a fair answer to "what does matching it cost?".
        frontier.points().stream().filter(m -> m.quality() >= best.quality()).findFirst()
                .ifPresent(m -> budgets.put(MATCH, scorer.point(MATCH, m)));
        knownFrontier.flatMap(f -> f.points().stream().filter(m -> m.quality() >= best.quality()).findFirst())
                .ifPresent(m -> known.put(MATCH, scorer.knownPoint(MATCH, m)));
        double bestHeldOut = bestPoint.quality().mean();
        boundFrontier.flatMap(f -> f.points().stream().filter(m -> m.quality() >= bestHeldOut).findFirst())
                .ifPresent(m -> known.put(UPPER_BOUND + MATCH, scorer.knownPoint(UPPER_BOUND + MATCH, m)));
        Map<String, Map<String, Estimate>> cells = new LinkedHashMap<>();
        for (String c : categories) {
            Map<String, Estimate> row = new LinkedHashMap<>();
            costs.keySet().stream().sorted().forEach(e -> row.put(e, table.cell(c, e)));
            cells.put(c, row);
        }
        Estimate.Accumulator accuracy = new Estimate.Accumulator();
        heldOut.stream().filter(o -> o.trueCategory() != null)
                .forEach(o -> accuracy.add(o.trueCategory().equals(o.predictedCategory()) ? 1 : 0));
        return new FrontierReport(suite, classifier, accuracy.estimate(), basis, fit.size(), heldOut.size(), frontierPoints, singles, live,
                bestPoint, budgets, known, excluded, k, shrink.byCandidate(), table.shares(), cells);
    }

    /** The frontier of mappings keyed by true categories, shrunk by {@code k}; empty when no item of the split has a label. */
    private static Optional<ParetoFrontier> byTrueCategory(List<Observation> split, double k, List<String> categories,
                                                           List<ExpertCost> experts, CostBasis basis, double minCoverage) {
        if (split.stream().noneMatch(o -> o.trueCategory() != null)) {
            return Optional.empty();
        }
        List<String> ids = experts.stream().map(ExpertCost::id).toList();
        return Optional.of(ParetoFrontier.of(QualityTable.fit(split, categories, ids, Observation::trueCategory).shrunk(k),
                experts, basis, minCoverage));
    }

    /** The priced expert with the best fitting-split quality; ties: the cheaper, then the first by id. */
    private static Mapping bestSingle(ParetoFrontier frontier, java.util.Set<String> priced, String anyCategory) {
        return priced.stream().filter(frontier::canServeAlone).map(frontier::single)
                .max(Comparator.comparingDouble(Mapping::quality).thenComparing(m -> -m.cost())
                        .thenComparing(m -> m.expert(anyCategory), Comparator.reverseOrder()))
                .orElseThrow(() -> new OptimizerException.NothingToChoose(
                        "no priced expert is scored on enough of the fitting items to serve alone"));
    }

    /** Cross-validates the shrinkage at the first budget (the draft's), relative to the unshrunk best single's cost. */
    private static ShrinkageSelection.Result chooseShrinkage(QualityTable measured, List<Observation> fit,
                                                             List<String> categories, List<ExpertCost> experts,
                                                             CostBasis basis, double minCoverage,
                                                             List<Double> budgetFractions) {
        ParetoFrontier plain = ParetoFrontier.of(measured, experts, basis, minCoverage);
        Map<String, Double> priced = new HashMap<>();
        measured.experts().stream().filter(id -> !plain.excluded().containsKey(id)).forEach(id -> priced.put(id, plain.cost(id)));
        double bestCost = bestSingle(plain, priced.keySet(), categories.getFirst()).cost();
        double fraction = budgetFractions.isEmpty() ? 1.0 : budgetFractions.getFirst();
        return ShrinkageSelection.choose(fit, categories, experts, basis, minCoverage, fraction * bestCost,
                ShrinkageSelection.DEFAULT_GRID);
    }

    private static Mapping liveMapping(Map<String, String> live, QualityTable table, Map<String, Double> costs) {
        double cost = 0;
        double quality = 0;
        for (String c : table.categories()) {
            double share = table.share(c);
            if (share > 0) {
                cost += share * costs.get(live.get(c));
                quality += share * table.expected(table.categories().indexOf(c), table.experts().indexOf(live.get(c)));
            }
        }
        return new Mapping(live, cost, quality);
    }

    /** Scores mappings on the held-out split, against the best single expert. */
    private record Scorer(List<Observation> heldOut, Map<String, Double> costs, Mapping best) {

        Point point(String label, Mapping m) {
            HeldOutEvaluation.Result r = HeldOutEvaluation.evaluate(m, heldOut, costs);
            Estimate diff = m.equals(best) ? null : HeldOutEvaluation.difference(m, best, heldOut);
            return new Point(label, m.expertByCategory(), m.cost(), m.quality(), r.cost().mean(), r.quality(),
                    r.unscored(), diff);
        }

        /** Routed by the true category: what the mapping would earn with a perfect classifier. */
        Point knownPoint(String label, Mapping m) {
            HeldOutEvaluation.Result r = HeldOutEvaluation.evaluate(m, heldOut, costs, Observation::trueCategory);
            return new Point(label + " (true categories)", m.expertByCategory(), m.cost(), m.quality(), r.cost().mean(),
                    r.quality(), r.unscored(), null);
        }
    }
}
