package dev.coe.evaluation.report;

import dev.coe.evaluation.run.ItemRecord;
import dev.coe.evaluation.run.SuiteRun;
import dev.coe.evaluation.suite.ExpertSpec;
import dev.coe.evaluation.suite.SuiteDefinition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The figures of one suite run, computed exactly from the records (nothing is sampled): the router's score, and
 * beside it each single expert (mean of its recorded scores), random routing (per-turn mean over the experts, the
 * expectation of a uniform pick) and the oracle (per-turn best expert; ties go to the expert listed first). Every
 * figure is averaged over the same turns: those the router answered and that were scored. Immutable.
 */
public record Figures(String suite, int scored, int failed, int unscored, Double routingAccuracy, int labelled,
                      Map<String, Integer> expertCalls, List<Line> lines, double latencyMeanMs, double latencyP95Ms,
                      boolean categoriesAreLabels) {

    public static Figures of(SuiteRun run) {
        SuiteDefinition d = run.suite().definition();
        List<ItemRecord> scored = run.records().stream().filter(r -> r.score() != null).toList();
        int failed = (int) run.records().stream().filter(r -> r.expert() == null).count();
        int unscored = run.records().size() - scored.size() - failed;
        boolean labelled = scored.stream().anyMatch(r -> r.trueCategory() != null);
        Function<ItemRecord, String> category = r -> labelled
                ? (r.trueCategory() == null ? "(unlabelled)" : r.trueCategory())
                : (r.predictedCategory() == null ? "(none)" : r.predictedCategory());
        List<ItemRecord> withLabel = run.records().stream()
                .filter(r -> r.trueCategory() != null && r.predictedCategory() != null).toList();
        Double accuracy = withLabel.isEmpty() ? null
                : withLabel.stream().filter(r -> r.trueCategory().equals(r.predictedCategory())).count()
                        / (double) withLabel.size();
        Map<String, Integer> calls = new LinkedHashMap<>();
        d.experts().forEach(e -> calls.put(e.id(), 0));
        scored.forEach(r -> calls.merge(r.expert(), 1, Integer::sum));

        List<Line> lines = new ArrayList<>();
        lines.add(line("router", "router", d, scored, category, r -> r.score(), r -> r.expert()));
        for (ExpertSpec e : d.experts()) {
            lines.add(line(e.id(), "expert", d, scored, category, r -> r.scores().get(e.id()), r -> e.id()));
        }
        lines.add(randomLine(d, scored, category));
        lines.add(line("oracle", "oracle", d, scored, category, r -> max(d, r) == null ? null : r.scores().get(max(d, r)),
                r -> max(d, r)));
        double[] latencies = scored.stream().mapToDouble(ItemRecord::latencyMs).sorted().toArray();
        return new Figures(d.name(), scored.size(), failed, unscored, accuracy, withLabel.size(), calls, lines,
                Arrays.stream(latencies).average().orElse(0),
                latencies.length == 0 ? 0 : latencies[(int) Math.ceil(0.95 * latencies.length) - 1], labelled);
    }

    public Line router() {
        return lines.getFirst();
    }

    public Line line(String name) {
        return lines.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    /** The expert with the best recorded score on this turn, ties to the one listed first; null if none. */
    private static String max(SuiteDefinition d, ItemRecord r) {
        String best = null;
        for (ExpertSpec e : d.experts()) {
            Double s = r.scores().get(e.id());
            if (s != null && (best == null || s > r.scores().get(best))) {
                best = e.id();
            }
        }
        return best;
    }

    private static Line line(String name, String kind, SuiteDefinition d, List<ItemRecord> records,
                             Function<ItemRecord, String> category, Function<ItemRecord, Double> score,
                             Function<ItemRecord, String> expert) {
        Mean overall = new Mean();
        Map<String, Mean> perCategory = new TreeMap<>();
        Mean params = new Mean();
        Mean price = new Mean();
        int closed = 0;
        int calls = 0;
        for (ItemRecord r : records) {
            Double s = score.apply(r);
            if (s == null) {
                continue;
            }
            overall.add(s);
            perCategory.computeIfAbsent(category.apply(r), k -> new Mean()).add(s);
            // An expert the suite file does not list (live mode) has no known cost: it counts in no cost column.
            ExpertSpec e = d.experts().stream().filter(x -> x.id().equals(expert.apply(r))).findFirst().orElse(null);
            if (e == null) {
                continue;
            }
            calls++;
            if (e.activeParamsB() != null) {
                params.add(e.activeParamsB());
            } else {
                closed++;
            }
            if (e.pricePerMTokens() != null) {
                price.add(e.pricePerMTokens());
            }
        }
        Map<String, Double> cats = new TreeMap<>();
        perCategory.forEach((k, v) -> cats.put(k, v.value()));
        return new Line(name, kind, overall.value(), cats, params.value(), calls == 0 ? 0 : closed / (double) calls,
                price.value());
    }

    /** Uniform random routing in expectation: every expert with weight 1/n on every turn. */
    private static Line randomLine(SuiteDefinition d, List<ItemRecord> records, Function<ItemRecord, String> category) {
        Mean overall = new Mean();
        Map<String, Mean> perCategory = new TreeMap<>();
        for (ItemRecord r : records) {
            Mean turn = new Mean();
            d.experts().forEach(e -> {
                if (r.scores().get(e.id()) != null) {
                    turn.add(r.scores().get(e.id()));
                }
            });
            if (turn.value() != null) {
                overall.add(turn.value());
                perCategory.computeIfAbsent(category.apply(r), k -> new Mean()).add(turn.value());
            }
        }
        Mean params = new Mean();
        Mean price = new Mean();
        d.experts().forEach(e -> {
            if (e.activeParamsB() != null) {
                params.add(e.activeParamsB());
            }
            if (e.pricePerMTokens() != null) {
                price.add(e.pricePerMTokens());
            }
        });
        Map<String, Double> cats = new TreeMap<>();
        perCategory.forEach((k, v) -> cats.put(k, v.value()));
        long closed = d.experts().stream().filter(e -> !e.isOpen()).count();
        return new Line("random", "random", overall.value(), cats, params.value(),
                closed / (double) d.experts().size(), price.value());
    }

    private static final class Mean {
        private double sum;
        private int n;

        void add(double v) {
            sum += v;
            n++;
        }

        Double value() {
            return n == 0 ? null : sum / n;
        }
    }
}
