package dev.coe.evaluation.optimize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses how hard to shrink small cells ({@link QualityTable#shrunk}) by cross-validation inside the fitting split,
 * so the held-out split is never looked at: for each candidate pseudo-count, fit on four folds, take the best mapping
 * within the budget, score it on the fifth, and keep the pseudo-count with the best mean over all five. Ties go to
 * the smaller pseudo-count. Stateless.
 */
public final class ShrinkageSelection {

    /** Candidate pseudo-counts, from none to strong. */
    public static final List<Double> DEFAULT_GRID = List.of(0.0, 5.0, 20.0, 50.0, 200.0);
    static final int FOLDS = 5;

    /**
     * @param chosen     the pseudo-count with the best cross-validated quality
     * @param byCandidate cross-validated quality of each candidate (NaN when a fold could not be fitted)
     */
    public record Result(double chosen, Map<Double, Estimate> byCandidate) {
    }

    private ShrinkageSelection() {
    }

    /** Items go to folds by a stable hash of their id, so the folds do not depend on file order. */
    public static Result choose(List<Observation> fit, List<String> categories, List<ExpertCost> experts, CostBasis basis,
                                double minCoverage, double budget, List<Double> grid) {
        List<List<Observation>> folds = new ArrayList<>();
        for (int f = 0; f < FOLDS; f++) {
            folds.add(new ArrayList<>());
        }
        fit.forEach(o -> folds.get(Math.floorMod(o.item().hashCode(), FOLDS)).add(o));
        List<String> ids = experts.stream().map(ExpertCost::id).toList();
        Map<String, Double> costs = new HashMap<>();
        experts.forEach(e -> basis.costOf(e).ifPresent(c -> costs.put(e.id(), c)));
        Map<Double, Estimate> byCandidate = new LinkedHashMap<>();
        double chosen = grid.getFirst();
        double bestQuality = Double.NEGATIVE_INFINITY;
        for (double k : grid) {
            Estimate.Accumulator quality = new Estimate.Accumulator();
            boolean complete = true;
            for (int f = 0; f < FOLDS; f++) {
                List<Observation> train = new ArrayList<>();
                for (int g = 0; g < FOLDS; g++) {
                    if (g != f) {
                        train.addAll(folds.get(g));
                    }
                }
                try {
                    ParetoFrontier frontier = ParetoFrontier.of(QualityTable.fit(train, categories, ids,
                            Observation::predictedCategory).shrunk(k), experts, basis, minCoverage);
                    Mapping m = frontier.best(budget).orElse(frontier.points().getFirst());
                    for (Observation o : folds.get(f)) {
                        Double score = o.scores().get(m.expert(o.predictedCategory()));
                        if (score != null) {
                            quality.add(score);
                        }
                    }
                } catch (OptimizerException e) {
                    complete = false; // a fold too small to fit: this candidate cannot be judged fairly
                }
            }
            Estimate estimate = complete ? quality.estimate() : new Estimate(Double.NaN, Double.NaN, 0);
            byCandidate.put(k, estimate);
            if (complete && estimate.mean() > bestQuality) {
                bestQuality = estimate.mean();
                chosen = k;
            }
        }
        return new Result(chosen, byCandidate);
    }
}
