package dev.coe.bench;

import dev.coe.bench.RouterProbe.Resources;
import dev.coe.bench.Trend.Tolerance;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Renders a soak run as Markdown: the verdict per resource, the samples over time, what the clients saw per kind
 * of request, and the router's and the experts' counters. The verdict drops the first {@link #WARM_UP_SAMPLES}
 * samples (JIT, pools and caches filling), then compares the first third of the rest with the last third and fits
 * a least-squares slope; {@link #RESOURCES} gives each resource's tolerance. Not thread-safe.
 */
final class SoakReport {

    /** Samples left out of the verdict. */
    static final int WARM_UP_SAMPLES = 2;
    /** Share of the requests that {@code steady} backs up that must end in a complete 200 answer. */
    static final double MIN_BACKED_UP_SUCCESS = 0.99;
    private static final double MIB = 1024.0 * 1024.0;

    /** A resource the verdict judges: its name, unit, value in a sample, and tolerance. */
    record Resource(String name, String unit, ToDoubleFunction<Resources> value, Tolerance tolerance) {
    }

    static final List<Resource> RESOURCES = List.of(
            new Resource("heap after GC", "MiB", r -> r.heapAfterGcBytes() / MIB, new Tolerance.Memory(1, 0.10, 8)),
            new Resource("non-heap (metaspace, code)", "MiB", r -> r.nonHeapBytes() / MIB, new Tolerance.Memory(1, 0.10, 8)),
            new Resource("RSS", "MiB", r -> r.rssBytes() / MIB, new Tolerance.Memory(2, 0.10, 16)),
            new Resource("platform threads", "", Resources::platformThreads, new Tolerance.Count(8)),
            new Resource("virtual threads", "", Resources::virtualThreads, new Tolerance.Count(16)),
            new Resource("open file descriptors", "", Resources::openFds, new Tolerance.Count(16)),
            new Resource("TCP established (in + out)", "", r -> r.tcpIn() + r.tcpOut(), new Tolerance.Count(16)),
            new Resource("TCP in CLOSE_WAIT", "", Resources::closeWait, new Tolerance.Count(4)));

    /** The run's circumstances, for the report's header. */
    record Header(String started, String elapsed, int cpus, double loadBefore, double loadAfter, String javaVersion,
                  String setup) {
    }

    private final Header header;
    private final List<SoakSample> samples;
    private final SoakSample idle;
    private final List<ClientTally.Lane> lanes;
    private final Duration loadTime;
    private final ExpertTraffic flaky;
    private final ExpertTraffic steady;
    private final PrometheusText finalMetrics;
    private final List<String> problems;

    /**
     * @param idle         the sample taken after the load, or null
     * @param loadTime     how long the load actually ran
     * @param finalMetrics the router's metrics at the end of the load
     * @param problems     what went wrong with the load generator itself
     */
    SoakReport(Header header, List<SoakSample> samples, SoakSample idle, List<ClientTally.Lane> lanes,
               Duration loadTime, ExpertTraffic flaky, ExpertTraffic steady,
               PrometheusText finalMetrics, List<String> problems) {
        this.header = header;
        this.samples = List.copyOf(samples);
        this.idle = idle;
        this.lanes = List.copyOf(lanes);
        this.loadTime = loadTime;
        this.flaky = flaky;
        this.steady = steady;
        this.finalMetrics = finalMetrics;
        this.problems = List.copyOf(problems);
    }

    String markdown() {
        StringBuilder md = new StringBuilder("## Soak: memory, threads, connections\n\n");
        md.append(String.format(Locale.ROOT, "Run %s, %s; %d CPUs, load average %.2f before and %.2f after; Java %s.%n%n",
                header.started(), header.elapsed(), header.cpus(), header.loadBefore(), header.loadAfter(), header.javaVersion()));
        md.append(header.setup()).append("\n\n");
        md.append("### Verdict\n\n").append(verdicts()).append('\n');
        md.append("### Samples\n\n").append(sampleTable()).append('\n');
        md.append("### Client side\n\n").append(clientTable()).append('\n');
        md.append("### Router and experts\n\n").append(counters());
        if (!problems.isEmpty()) {
            md.append("\nLoad generator problems: ").append(String.join("; ", problems)).append('\n');
        }
        return md.toString();
    }

    /** The verdict table and its summary lines. */
    String verdicts() {
        List<SoakSample> measured = samples.subList(Math.min(WARM_UP_SAMPLES, samples.size()), samples.size());
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "From %d samples after the first %d (warm-up), %s to %s after the start.%n%n",
                measured.size(), WARM_UP_SAMPLES,
                measured.isEmpty() ? "–" : measured.getFirst().label(), measured.isEmpty() ? "–" : measured.getLast().label()));
        md.append("| resource | first third: median / max | last third: median / max | slope per minute | flat when | verdict |\n");
        md.append("|---|--:|--:|--:|---|---|\n");
        List<String> growing = new ArrayList<>();
        boolean judged = measured.size() >= Trend.MIN_SAMPLES;
        for (Resource resource : RESOURCES) {
            if (resource.name().equals("virtual threads") && samples.stream().anyMatch(x -> x.resources().virtualThreads() < 0)) {
                continue; // not sampled: see RouterProbe
            }
            if (!judged) {
                md.append(String.format("| %s | – | – | – | %s | too few samples |%n", resource.name(), resource.tolerance().describe(resource.unit())));
                continue;
            }
            double[] minutes = measured.stream().mapToDouble(SoakSample::minutes).toArray();
            double[] values = measured.stream().mapToDouble(s -> resource.value().applyAsDouble(s.resources())).toArray();
            Trend t = Trend.of(minutes, values);
            boolean flat = resource.tolerance().flat(t);
            if (!flat) {
                growing.add(resource.name());
            }
            String unit = resource.unit().isEmpty() ? "" : " " + resource.unit();
            md.append(String.format(Locale.ROOT, "| %s | %s / %s | %s / %s | %+.2f%s | %s | **%s** |%n", resource.name(),
                    num(t.firstMedian()), num(t.firstMax()), num(t.lastMedian()), num(t.lastMax()), t.slopePerMinute(), unit,
                    resource.tolerance().describe(resource.unit()), flat ? "flat" : "growing"));
        }
        md.append('\n');
        if (!judged) {
            md.append(String.format(Locale.ROOT, "**No verdict**: %d measured samples, at least %d needed; run longer or sample more often.%n",
                    measured.size(), Trend.MIN_SAMPLES));
        } else if (growing.isEmpty()) {
            md.append("**Every resource flat.**\n");
        } else {
            md.append("**Growing: ").append(String.join(", ", growing)).append(".**\n");
        }
        md.append('\n').append(clientVerdict());
        return md.toString();
    }

    private String clientVerdict() {
        long requests = 0;
        long answered = 0;
        long backedUpRequests = 0;
        long backedUpAnswered = 0;
        for (ClientTally.Lane lane : lanes) {
            requests += lane.requestsTotal();
            answered += lane.answeredTotal();
            if (lane.backedUp) {
                backedUpRequests += lane.requestsTotal();
                backedUpAnswered += lane.answeredTotal();
            }
        }
        double backedUpShare = share(backedUpAnswered, backedUpRequests);
        return String.format(Locale.ROOT, "Clients: %d requests in %s, %.0f req/s; %s complete 200 answers overall, %s of the requests"
                        + " that `steady` backs up (all but those naming `flaky`): %s (at least %.0f %% wanted).%n",
                requests, minutesAndSeconds(loadTime), requests / Math.max(1e-9, loadTime.toMillis() / 1000.0),
                percent(share(answered, requests)), percent(backedUpShare),
                backedUpShare >= MIN_BACKED_UP_SUCCESS ? "**met**" : "**missed**", MIN_BACKED_UP_SUCCESS * 100);
    }

    private String sampleTable() {
        StringBuilder md = new StringBuilder("""
                Each row: the requests since the previous row (req/s; share answered 200 in full, of all requests and of those \
                that `steady` backs up; latency to the whole answer or to `[DONE]`), the router's resources right after a forced full GC, and the flaky expert's breaker: its state \
                at the sample, how often it opened since the previous row (seen by `flaky` as pauses in its calls) and the \
                calls it refused. Fallbacks: experts given up for the next of the chain, since the previous row.

                | t | req/s | ok: all / backed up | p50 ms | p99 ms | heap after GC MiB | non-heap MiB | RSS MiB | threads: platform / virtual | fds | TCP in / out | CLOSE_WAIT | breaker | openings | refused | fallbacks |
                |---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|
                """);
        SoakSample previous = null;
        List<SoakSample> rows = new ArrayList<>(samples);
        if (idle != null) {
            rows.add(idle);
        }
        for (int i = 0; i < rows.size(); i++) {
            SoakSample s = rows.get(i);
            Resources r = s.resources();
            SoakSample.Counters c = s.counters();
            SoakSample.Counters before = previous == null ? new SoakSample.Counters(0, 0, 0, "", 0) : previous.counters();
            boolean hasClient = s.client().requests() > 0;
            md.append(String.format(Locale.ROOT, "| %s%s | %s | %s | %s | %s | %.1f | %.1f | %.1f | %d / %d | %d | %d / %d | %d | %s | %d | %.0f | %.0f |%n",
                    s.label(), i < WARM_UP_SAMPLES ? " (warm-up)" : "",
                    hasClient ? String.format(Locale.ROOT, "%.0f", s.requestsPerSecond()) : "–",
                    hasClient ? percent(share(s.client().answered(), s.client().requests())) + " / "
                            + percent(share(s.client().backedUpAnswered(), s.client().backedUpRequests())) : "–",
                    ms(s.client().complete(), 50), ms(s.client().complete(), 99),
                    r.heapAfterGcBytes() / MIB, r.nonHeapBytes() / MIB, r.rssBytes() / MIB,
                    r.platformThreads(), r.virtualThreads(), r.openFds(), r.tcpIn(), r.tcpOut(), r.closeWait(),
                    c.breakerState(), c.breakerOpenings() - before.breakerOpenings(),
                    c.notPermitted() - before.notPermitted(), c.fallbacks() - before.fallbacks()));
            previous = s;
        }
        if (idle != null) {
            md.append("\nThe last row (").append(idle.label()).append(") was taken with the load stopped and the client's connections closed.\n");
        }
        return md.toString();
    }

    private String clientTable() {
        StringBuilder md = new StringBuilder("""
                Latencies of the requests answered in full (ms); "first token" is the first chunk with content, streams only.

                | requests | count | req/s | complete 200 | failures by kind | p50 | p99 | first token p50 | first token p99 |
                |---|--:|--:|--:|---|--:|--:|--:|--:|
                """);
        Histogram allComplete = null;
        Histogram allFirst = null;
        long requests = 0;
        long answered = 0;
        Map<String, Long> failures = new TreeMap<>();
        double seconds = Math.max(1e-9, loadTime.toMillis() / 1000.0);
        for (ClientTally.Lane lane : lanes) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %s | %s | %s | %s | %s | %s |%n", lane.label, lane.requestsTotal(),
                    lane.requestsTotal() / seconds, percent(share(lane.answeredTotal(), lane.requestsTotal())),
                    failures(lane.failuresTotal()), ms(lane.completeTotal(), 50), ms(lane.completeTotal(), 99),
                    ms(lane.firstTokenTotal(), 50), ms(lane.firstTokenTotal(), 99)));
            allComplete = merged(allComplete, lane.completeTotal());
            allFirst = merged(allFirst, lane.firstTokenTotal());
            requests += lane.requestsTotal();
            answered += lane.answeredTotal();
            lane.failuresTotal().forEach((kind, n) -> failures.merge(kind, n, Long::sum));
        }
        md.append(String.format(Locale.ROOT, "| **all** | %d | %.1f | %s | %s | %s | %s | %s | %s |%n", requests, requests / seconds,
                percent(share(answered, requests)), failures(failures), ms(allComplete, 50), ms(allComplete, 99),
                ms(allFirst, 50), ms(allFirst, 99)));
        lanes.stream().filter(l -> l.firstError() != null).forEach(l ->
                md.append("\nFirst failure of ").append(l.label).append(": `").append(oneLine(l.firstError())).append("`"));
        return md.append('\n').toString();
    }

    private String counters() {
        double seconds = Math.max(1e-9, loadTime.toMillis() / 1000.0);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT,
                "* `flaky` had %d calls: %d answered, %d answered 503, %d cut before the answer, %d cut in its middle, %d late"
                        + " (the rest: the router had gone before the answer ended).%n",
                flaky.calls(), flaky.count(ExpertTraffic.Outcome.ANSWERED), flaky.count(ExpertTraffic.Outcome.ERROR_503),
                flaky.count(ExpertTraffic.Outcome.DROPPED_BEFORE_ANSWER), flaky.count(ExpertTraffic.Outcome.DROPPED_MID_ANSWER),
                flaky.count(ExpertTraffic.Outcome.SLOW)));
        md.append(String.format(Locale.ROOT,
                "* Its breaker opened (and later half-opened) **%d times**: `flaky` saw that many pauses of at least %s in its calls,"
                        + " %s in all, %s of the load's %s.%n",
                flaky.pauses(), seconds(SoakBenchmark.PAUSE_THRESHOLD), minutesAndSeconds(flaky.pausedTime()),
                percent(flaky.pausedTime().toMillis() / 1000.0 / seconds), minutesAndSeconds(loadTime)));
        md.append(String.format(Locale.ROOT, "* `steady` had %d calls.%n", steady.calls()));
        if (finalMetrics != null) {
            md.append("* Router, whole run: fallbacks by expert and outcome ")
                    .append(series("coe_router_fallbacks_total", "expert", "outcome")).append("; responses by expert and status ")
                    .append(series("coe_router_responses_total", "expert", "status")).append(".\n");
            md.append("* `flaky`'s errors by type ").append(sumsBy("coe_expert_errors_total", "type", "expert", "flaky"))
                    .append(", retries by type ").append(sumsBy("coe_expert_retries_total", "type", "expert", "flaky"))
                    .append(String.format(Locale.ROOT, ", calls refused by its open breaker %.0f.%n",
                            finalMetrics.sum("resilience4j_circuitbreaker_not_permitted_calls_total", "name", "flaky")));
        }
        return md.toString();
    }

    /** Non-zero series of {@code name}, summed by the pair of labels {@code a}/{@code b}, as {@code a/b: n} pairs. */
    private String series(String name, String a, String b) {
        Map<String, Double> sums = new TreeMap<>();
        for (var byA : finalMetrics.sumBy(name, a).keySet()) {
            finalMetrics.sumBy(name, b, a, byA).forEach((valueB, n) -> sums.merge(byA + "/" + valueB, n, Double::sum));
        }
        return join(sums);
    }

    private String sumsBy(String name, String label, String... filter) {
        return join(finalMetrics.sumBy(name, label, filter));
    }

    private static String join(Map<String, Double> sums) {
        String text = sums.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> String.format(Locale.ROOT, "%s: %.0f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
        return text.isEmpty() ? "(none)" : "{" + text + "}";
    }

    private static String failures(Map<String, Long> failures) {
        String text = failures.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
        return text.isEmpty() ? "–" : text;
    }

    private static Histogram merged(Histogram total, Histogram next) {
        if (total == null) {
            return next.copy();
        }
        total.add(next);
        return total;
    }

    private static double share(long part, long whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }

    private static String percent(double share) {
        if (Double.isNaN(share)) {
            return "–";
        }
        return share >= 0.999 && share < 1 ? String.format(Locale.ROOT, "%.2f %%", share * 100) : String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    private static String ms(Histogram h, double percentile) {
        return h == null || h.getTotalCount() == 0 ? "–" : String.format(Locale.ROOT, "%.1f", h.getValueAtPercentile(percentile) / 1e6);
    }

    private static String num(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e9 ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String oneLine(String text) {
        String line = text.replace('\n', ' ').replace('`', '\'');
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    static String minutesAndSeconds(Duration d) {
        return String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
