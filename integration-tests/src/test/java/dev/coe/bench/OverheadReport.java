package dev.coe.bench;

import dev.coe.bench.BenchOptions.Mode;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Collects the runs of {@link RouterOverheadBenchmark} and renders them as Markdown: a summary of the
 * router's added latency (router minus direct, per round, median of rounds) and the full percentiles of
 * every path. Not thread-safe.
 */
final class OverheadReport {

    /** One cell of the benchmark's grid. */
    record Scenario(Mode mode, int concurrency) {
    }

    /**
     * A latency the benchmark reports: the whole answer, or (streams only) the first token; {@code outside} is the same
     * latency less the expert's own time, request by request ({@link ExpertTimes}).
     */
    private record Metric(String label, Function<RunResult, Histogram> histogram, Function<RunResult, Histogram> outside) {
    }

    private static final Metric COMPLETE = new Metric("full answer", r -> r.complete, r -> r.outsideComplete);
    private static final Metric COMPLETE_STREAM = new Metric("to [DONE]", r -> r.complete, r -> r.outsideComplete);
    private static final Metric FIRST_TOKEN = new Metric("first token", r -> r.firstToken, r -> r.outsideFirstToken);
    /** The goal for the router's own work, classification excluded. */
    static final double GOAL_ADDED_P50_MS = 2.0;

    private final Target direct;
    private final Target viaExpert;
    private final Target viaAuto;
    private final Target cacheHit;
    private final Map<Scenario, Map<Target, List<RunResult>>> runs = new LinkedHashMap<>();

    /** The goal for an answer from the router's response cache, end to end (not "added": no expert is called). */
    static final double GOAL_CACHE_HIT_P50_MS = 1.0;

    /** The router's CPU use with no request in flight, subtracted from each run's; NaN when unknown. */
    private final double idleCpuMillisPerSecond;

    OverheadReport(Target direct, Target viaExpert, Target viaAuto, Target cacheHit, double idleCpuMillisPerSecond) {
        this.idleCpuMillisPerSecond = idleCpuMillisPerSecond;
        this.direct = direct;
        this.viaExpert = viaExpert;
        this.viaAuto = viaAuto;
        this.cacheHit = cacheHit;
    }

    private List<Target> paths() {
        return List.of(direct, viaExpert, viaAuto, cacheHit);
    }

    void add(Scenario scenario, Target target, RunResult result) {
        runs.computeIfAbsent(scenario, s -> new LinkedHashMap<>()).computeIfAbsent(target, t -> new ArrayList<>()).add(result);
    }

    /** The summary and detail tables, without a heading. */
    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Added latency = router minus direct, each percentile taken per round with the runs side by side, "
                + "then the median of rounds. \"auto\" includes classification; its last column subtracts the median "
                + "`x-coe-route-ms` (the classification time the router reports) as an estimate of the rest.\n\n");
        md.append("| mode | c | latency | direct p50 | added p50, model \"").append(viaExpert.model())
                .append("\" | added p99, model \"").append(viaExpert.model())
                .append("\" | added p50, \"auto\" | added p99, \"auto\" | route-ms p50, \"auto\" | \"auto\" added p50 − route-ms"
                        + " | cache hit p50, end to end |\n");
        md.append("|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        List<String> missedGoal = new ArrayList<>();
        List<String> missedCacheGoal = new ArrayList<>();
        forEachMetric((scenario, metric) -> {
            double addedP50 = added(scenario, metric.histogram(), viaExpert, 50);
            double autoP50 = added(scenario, metric.histogram(), viaAuto, 50);
            double routeMs = median(runsOf(scenario, viaAuto), r -> percentileMicros(r.routeMicros, 50) / 1000);
            if (!(addedP50 < GOAL_ADDED_P50_MS)) {
                missedGoal.add(scenario.mode().label + " c=" + scenario.concurrency() + " " + metric.label());
            }
            double hitP50 = median(runsOf(scenario, cacheHit), r -> RunResult.millis(metric.histogram().apply(r), 50));
            if (!(hitP50 < GOAL_CACHE_HIT_P50_MS)) {
                missedCacheGoal.add(scenario.mode().label + " c=" + scenario.concurrency() + " " + metric.label());
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | **%s** | %s | %s | %s | %s | %s | **%s** |%n",
                    scenario.mode().label, scenario.concurrency(), metric.label(),
                    ms(median(runsOf(scenario, direct), r -> RunResult.millis(metric.histogram().apply(r), 50))),
                    ms(addedP50), ms(added(scenario, metric.histogram(), viaExpert, 99)),
                    ms(autoP50), ms(added(scenario, metric.histogram(), viaAuto, 99)), ms(routeMs), ms(autoP50 - routeMs), ms(hitP50)));
        });
        List<String> missedPairedGoal = new ArrayList<>();
        String pairedTable = paired(missedPairedGoal);
        md.append(pairedTable.isEmpty() ? "" : "\n" + pairedTable);
        md.append(String.format(Locale.ROOT, "%nGoal (p50 added latency under %.0f ms, classification excluded, i.e. model \"%s\"): "
                        + "router minus direct, %s; paired with the expert's own times, %s%n",
                GOAL_ADDED_P50_MS, viaExpert.model(), missedGoal.isEmpty() ? "**met** in every row" : "**missed** in " + missedGoal,
                pairedTable.isEmpty() ? "not measured." : missedPairedGoal.isEmpty() ? "**met** in every row."
                        : "**missed** in " + missedPairedGoal + "."));
        md.append(String.format(Locale.ROOT, "%nGoal (a response-cache hit under %.0f ms end to end at p50, model \"%s\", temperature 0, "
                        + "the same question every time): %s%n", GOAL_CACHE_HIT_P50_MS, cacheHit.model(),
                missedCacheGoal.isEmpty() ? "**met** in every row." : "**missed** in " + missedCacheGoal + "."));
        md.append("\n").append(details());
        return md.toString();
    }

    /**
     * The added latency measured request by request: each answer's time outside the expert (its latency less the
     * expert's own time for it), router path minus direct path, per round, median of rounds. Rows where the expert
     * timed nothing (a simulated expert without {@link ExpertTimes}) are left out.
     */
    private String paired(List<String> missedGoal) {
        StringBuilder md = new StringBuilder("Paired with the expert's own times: each request's latency less the time the "
                + "simulated expert itself spent on it (from receiving the request to writing its first token, or the end of "
                + "its answer), so that the mix of long and short answers cancels out request by request. \"outside, direct\" "
                + "is what the client and the loopback network take without the router; \"added\" is the router path's "
                + "time outside the expert minus that, per round, median of rounds.\n\n");
        md.append("| mode | c | latency | outside p50, direct | added p50, model \"").append(viaExpert.model())
                .append("\", paired | by round | added p99, model \"").append(viaExpert.model())
                .append("\", paired | added p50, \"auto\", paired | \"auto\" paired − route-ms |\n");
        md.append("|---|--:|---|--:|--:|---|--:|--:|--:|\n");
        int before = md.length();
        forEachMetric((scenario, metric) -> {
            Function<RunResult, Histogram> outside = metric.outside();
            double directOutside = median(runsOf(scenario, direct), r -> RunResult.millis(outside.apply(r), 50));
            if (Double.isNaN(directOutside)) {
                return;
            }
            double addedP50 = added(scenario, outside, viaExpert, 50);
            double autoP50 = added(scenario, outside, viaAuto, 50);
            double routeMs = median(runsOf(scenario, viaAuto), r -> percentileMicros(r.routeMicros, 50) / 1000);
            if (!(addedP50 < GOAL_ADDED_P50_MS)) {
                missedGoal.add(scenario.mode().label + " c=" + scenario.concurrency() + " " + metric.label());
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | **%s** | %s | %s | %s | %s |%n",
                    scenario.mode().label, scenario.concurrency(), metric.label(), ms(directOutside), ms(addedP50),
                    String.join(" / ", Arrays.stream(addedByRound(scenario, outside, viaExpert, 50)).mapToObj(OverheadReport::ms).toList()),
                    ms(added(scenario, outside, viaExpert, 99)), ms(autoP50), ms(autoP50 - routeMs)));
        });
        return md.length() == before ? "" : md.toString();
    }

    private String details() {
        StringBuilder md = new StringBuilder("Every path in full (ms; each percentile is the median of rounds; "
                + "\"p50 by round\" shows the spread; req/s and errors are per run; router CPU is the CPU time of the router "
                + "process per answered request, less the " + String.format(Locale.ROOT, "%.1f", idleCpuMillisPerSecond)
                + " ms per second it used while idle, median of rounds: how many requests a core can carry):\n\n");
        md.append("| mode | c | latency | path | p50 | p90 | p99 | max | p50 by round | req/s | errors | router CPU ms/request |\n");
        md.append("|---|--:|---|---|--:|--:|--:|--:|---|--:|--:|--:|\n");
        forEachMetric((scenario, metric) -> {
            for (Target target : paths()) {
                List<RunResult> rounds = runsOf(scenario, target);
                if (rounds.isEmpty()) {
                    continue;
                }
                Function<RunResult, Histogram> h = metric.histogram();
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %.0f | %d | %s |%n",
                        scenario.mode().label, scenario.concurrency(), metric.label(), target.label(),
                        ms(median(rounds, r -> RunResult.millis(h.apply(r), 50))),
                        ms(median(rounds, r -> RunResult.millis(h.apply(r), 90))),
                        ms(median(rounds, r -> RunResult.millis(h.apply(r), 99))),
                        ms(median(rounds, r -> RunResult.millis(h.apply(r), 100))),
                        String.join(" / ", rounds.stream().map(r -> ms(RunResult.millis(h.apply(r), 50))).toList()),
                        median(rounds, RunResult::throughputPerSecond),
                        rounds.stream().mapToInt(r -> r.errors).sum(),
                        cpu(median(rounds, r -> r.routerCpuMillisPerRequest(idleCpuMillisPerSecond)))));
            }
        });
        List<String> unclassified = new ArrayList<>();
        for (Scenario scenario : runs.keySet()) {
            for (Target target : paths()) {
                List<RunResult> rounds = runsOf(scenario, target);
                int n = rounds.stream().mapToInt(r -> r.unclassified).sum();
                if (n > 0) {
                    unclassified.add(String.format(Locale.ROOT, "%s c=%d %s: %d of %d", scenario.mode().label,
                            scenario.concurrency(), target.label(), n, rounds.stream().mapToLong(RunResult::succeeded).sum()));
                }
            }
        }
        if (!unclassified.isEmpty()) {
            md.append("\nAnswered unclassified, on the fallback chain, because the classifier was busy (routing reason "
                    + "`classifier_busy`; `coe.classifier-max-wait`), over all rounds: ").append(String.join("; ", unclassified)).append(".\n");
        }
        return md.toString();
    }

    /** The first error of any run, for the console; null when every request succeeded. */
    String firstError() {
        return runs.values().stream().flatMap(m -> m.values().stream()).flatMap(List::stream)
                .map(r -> r.firstError).filter(e -> e != null).findFirst().orElse(null);
    }

    private interface MetricVisitor {
        void visit(Scenario scenario, Metric metric);
    }

    private void forEachMetric(MetricVisitor visitor) {
        for (Scenario scenario : runs.keySet()) {
            List<Metric> metrics = scenario.mode() == Mode.STREAMING ? List.of(FIRST_TOKEN, COMPLETE_STREAM) : List.of(COMPLETE);
            metrics.forEach(metric -> visitor.visit(scenario, metric));
        }
    }

    /** Median over rounds of (router − direct) at one percentile, pairing the runs of the same round. */
    private double added(Scenario scenario, Function<RunResult, Histogram> histogram, Target router, double percentile) {
        return median(addedByRound(scenario, histogram, router, percentile));
    }

    /** (router − direct) at one percentile in each round, pairing the runs of the same round. */
    private double[] addedByRound(Scenario scenario, Function<RunResult, Histogram> histogram, Target router,
                                  double percentile) {
        List<RunResult> base = runsOf(scenario, direct);
        List<RunResult> routed = runsOf(scenario, router);
        int rounds = Math.min(base.size(), routed.size());
        double[] diffs = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            diffs[i] = RunResult.millis(histogram.apply(routed.get(i)), percentile)
                    - RunResult.millis(histogram.apply(base.get(i)), percentile);
        }
        return diffs;
    }

    private List<RunResult> runsOf(Scenario scenario, Target target) {
        return runs.getOrDefault(scenario, Map.of()).getOrDefault(target, List.of());
    }

    private static double percentileMicros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile);
    }

    private static double median(List<RunResult> rounds, ToDoubleFunction<RunResult> value) {
        return median(rounds.stream().mapToDouble(value).toArray());
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static String cpu(double millis) {
        return Double.isNaN(millis) ? "–" : String.format(Locale.ROOT, "%.3f", millis);
    }

    private static String ms(double millis) {
        return Double.isNaN(millis) ? "–" : String.format(Locale.ROOT, "%.2f", millis);
    }
}
