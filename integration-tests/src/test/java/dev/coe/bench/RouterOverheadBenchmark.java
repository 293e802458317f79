package dev.coe.bench;

import dev.coe.bench.BenchOptions.Mode;
import dev.coe.bench.OverheadReport.Scenario;
import dev.coe.gateway.SimulationConfig;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Measures the latency the router adds over calling an expert directly: p50/p90/p99 of the simulated expert
 * called directly, through the router naming the expert (no classification), and through the router with
 * {@code model: "auto"} (classification included), non-streaming and streaming, at each client concurrency.
 * <p>
 * The simulated expert is an OpenAI-compatible HTTP server in this JVM; the router is its own JVM, started
 * from its executable jar and pointed at that server. The three paths are measured side by side in each
 * round, in an order that rotates from round to round, so that drift on a shared machine hits them alike.
 * Everything talks to 127.0.0.1 only, and every loop is bounded in requests and time. See
 * {@code docs/benchmarks.md} for how to run it and how to read the figures.
 */
public final class RouterOverheadBenchmark {

    /** Seconds the JDK HTTP client keeps an idle connection; read once, when the first client is built. */
    private static final String CLIENT_KEEPALIVE_PROPERTY = "jdk.httpclient.keepalive.timeout";

    private RouterOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (BenchOptions.wantsHelp(args)) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        BenchOptions options = BenchOptions.parse(args);
        // Idle keep-alive connections: the JDK client and the JDK server both give up after 30 s by default, so a
        // connection left idle while other paths are measured may be closed by the server just as the client reuses
        // it. Letting the client close first keeps those races out of the error counts.
        if (System.getProperty(CLIENT_KEEPALIVE_PROPERTY) == null) {
            System.setProperty(CLIENT_KEEPALIVE_PROPERTY, "10");
        }
        Path workDir = options.report().toAbsolutePath().getParent();
        Files.createDirectories(workDir);
        double loadBefore = loadAverage();
        Instant started = Instant.now();
        ExpertTimes expertTimes = new ExpertTimes();
        try (SimulatedExpertServer expert = SimulatedExpertServer.start(0, SimulatedExpertServer.DEFAULT_MODEL, options.simulation(),
                expertTimes);
             RouterProcess router = RouterProcess.start(options.routerJar(),
                     writeConfig(workDir.resolve("router-config"), options, expert),
                     options.routerJvmArgs(), options.routerCpus(), workDir.resolve("router.log"), RouterProcess.DEFAULT_START_TIMEOUT);
             HttpClient client = LoadGenerator.newClient();
             BenchClient benchClient = BenchClient.of(options.client())) {
            progress("simulated expert at %s, router (pid %d) at %s", expert.baseUrl(), router.pid(), router.baseUrl());
            List<Target> targets = List.of(
                    Target.direct(expert.baseUrl(), expert.model()),
                    Target.routerToExpert(router.baseUrl(), BenchConfigDir.EXPERT_ID),
                    Target.routerAuto(router.baseUrl()),
                    Target.routerCacheHit(router.baseUrl(), BenchConfigDir.EXPERT_ID));
            LoadGenerator load = new LoadGenerator(benchClient, expertTimes);
            checkEveryPathAnswers(load, targets, options);
            warmUp(load, targets, options);
            Settling settling = settleCompilers(load, targets, options, new CompilerActivity(client, router.baseUrl()));
            double idleCpu = idleCpuMillisPerSecond(router);
            progress("router CPU while idle: %.1f ms per second", idleCpu);
            OverheadReport report = measure(load, targets, options, router, idleCpu);
            String markdown = document(options, report, loadBefore, started, settling);
            Files.writeString(options.report(), markdown);
            System.out.println(markdown);
            System.out.flush();
            progress("report written to %s; router log in %s", options.report(), workDir.resolve("router.log"));
            if (report.firstError() != null) {
                progress("some requests failed; the first: %s", report.firstError());
            }
        }
    }

    private static Path writeConfig(Path dir, BenchOptions options, SimulatedExpertServer expert) throws IOException {
        deleteTree(dir);
        return BenchConfigDir.write(dir, options.configSource(), expert.baseUrl(), expert.model());
    }

    /** One request per path and mode, so that a broken set-up fails in seconds with the reason, not after the warm-up. */
    private static void checkEveryPathAnswers(LoadGenerator load, List<Target> targets, BenchOptions options) throws InterruptedException {
        for (Mode mode : options.modes()) {
            for (Target target : targets) {
                RunResult probe = load.run(target, mode == Mode.STREAMING, 1, 1, Duration.ofSeconds(60));
                if (probe.errors > 0 || probe.succeeded() != 1) {
                    throw new IllegalStateException(mode.label + " request to " + target.label() + " failed: " + probe.firstError);
                }
            }
        }
    }

    private static void warmUp(LoadGenerator load, List<Target> targets, BenchOptions options) throws InterruptedException {
        if (options.warmup() == 0) {
            return;
        }
        warmEveryPath(load, targets, options, options.warmup(), true);
    }

    /**
     * One unmeasured run per concurrency, mode and path, of {@code requests} requests and at least a few per worker, so
     * that every pooled connection has been used; {@code verbose} prints each run's outcome.
     */
    private static void warmEveryPath(LoadGenerator load, List<Target> targets, BenchOptions options, int requests,
                                      boolean verbose) throws InterruptedException {
        for (int concurrency : options.concurrencies()) {
            for (Mode mode : options.modes()) {
                for (Target target : targets) {
                    RunResult r = load.run(target, mode == Mode.STREAMING, concurrency, Math.max(requests, 4 * concurrency),
                            options.maxRunTime());
                    if (verbose) {
                        progress("warm-up %-13s c=%-3d %-22s %5d requests, p50 %.2f ms, %d errors",
                                mode.label, concurrency, target.label(), r.succeeded(), RunResult.millis(r.complete, 50), r.errors);
                    }
                }
            }
        }
    }

    /**
     * How the warm-up ended: after how long, and what share of the last settling cycle's wall time the two JVMs spent
     * compiling (NaN when there was no settling). A share over {@link BenchOptions#jitSettled()} means that
     * {@code --max-warmup-seconds} ran out first.
     */
    record Settling(Duration warmup, double compilingShare) {
    }

    /**
     * Warms up in cycles, every path and mode at every concurrency, until the JIT compilers of the router and of this
     * JVM spend at most {@link BenchOptions#jitSettled()} of a cycle compiling: until then, compilation takes CPU from
     * the requests being measured, on the router's side and on the client's, and more of it on the longer router path.
     */
    private static Settling settleCompilers(LoadGenerator load, List<Target> targets, BenchOptions options, CompilerActivity jit)
            throws InterruptedException {
        long start = System.nanoTime();
        if (options.jitSettled() == 0) {
            return new Settling(Duration.ZERO, Double.NaN);
        }
        long deadline = start + options.maxWarmupTime().toNanos();
        while (true) {
            long cycleStart = System.nanoTime();
            CompilerActivity.Reading before = jit.read();
            warmEveryPath(load, targets, options, options.runWarmup(), false);
            CompilerActivity.Reading after = jit.read();
            long now = System.nanoTime();
            double share = after.millisSince(before) / ((now - cycleStart) / 1e6);
            Duration elapsed = Duration.ofNanos(now - start);
            progress("settling the JIT: %.1f %% of the last %.0f s spent compiling (router %d ms, this JVM %d ms); %d s so far",
                    100 * share, (now - cycleStart) / 1e9, after.routerMillis() - before.routerMillis(),
                    after.ownMillis() - before.ownMillis(), elapsed.toSeconds());
            if (share <= options.jitSettled() || now >= deadline) {
                return new Settling(elapsed, share);
            }
        }
    }

    /**
     * What the router burns with no request in flight (timers, health checks, metrics, the JIT finishing its work), in
     * CPU milliseconds per second, over {@value #IDLE_SECONDS} s after the warm-up; NaN where the platform does not
     * report a process's CPU time. The report subtracts it from each run's CPU, so that the CPU per request of a slow
     * run (c=1) is not mostly idle time.
     */
    private static double idleCpuMillisPerSecond(RouterProcess router) throws InterruptedException {
        Optional<Duration> before = router.cpuTime();
        long start = System.nanoTime();
        Thread.sleep(Duration.ofSeconds(IDLE_SECONDS));
        Optional<Duration> after = router.cpuTime();
        if (before.isEmpty() || after.isEmpty()) {
            return Double.NaN;
        }
        return after.get().minus(before.get()).toNanos() / 1e6 / ((System.nanoTime() - start) / 1e9);
    }

    private static final int IDLE_SECONDS = 5;

    private static OverheadReport measure(LoadGenerator load, List<Target> targets, BenchOptions options, RouterProcess router,
                                          double idleCpuMillisPerSecond) throws InterruptedException {
        OverheadReport report = new OverheadReport(targets.get(0), targets.get(1), targets.get(2), targets.get(3), idleCpuMillisPerSecond);
        for (int concurrency : options.concurrencies()) {
            for (Mode mode : options.modes()) {
                Scenario scenario = new Scenario(mode, concurrency);
                for (int round = 0; round < options.rounds(); round++) {
                    for (Target target : rotated(targets, round)) {
                        boolean streaming = mode == Mode.STREAMING;
                        RunResult r;
                        try (LoadGenerator.Background ignored = options.backgroundAuto() == 0 ? null
                                : load.background(targets.get(2), false, options.backgroundAuto())) {
                            load.run(target, streaming, concurrency, Math.max(options.runWarmup(), 2 * concurrency), options.maxRunTime());
                            Optional<Duration> cpuBefore = router.cpuTime();
                            r = load.run(target, streaming, concurrency, options.requestsAt(concurrency), options.maxRunTime(),
                                    options.rateAt(concurrency));
                            // The router's own CPU per request, where only this run's requests reach it.
                            if (target != targets.get(0) && options.backgroundAuto() == 0 && cpuBefore.isPresent()) {
                                r.routerCpu = router.cpuTime().map(after -> after.minus(cpuBefore.get())).orElse(null);
                            }
                        }
                        report.add(scenario, target, r);
                        progress("%-13s c=%-3d round %d/%d %-22s %5d ok %3d errors  p50 %6.2f  p99 %6.2f ms  %6.0f req/s",
                                mode.label, concurrency, round + 1, options.rounds(), target.label(), r.succeeded(), r.errors,
                                RunResult.millis(r.complete, 50), RunResult.millis(r.complete, 99), r.throughputPerSecond());
                        if (r.firstError != null) {
                            progress("  first error of that run: %s", r.firstError);
                        }
                    }
                }
            }
        }
        return report;
    }

    /** The paths in round {@code round}'s order: each path goes first in turn. */
    static <T> List<T> rotated(List<T> items, int round) {
        List<T> order = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            order.add(items.get((i + round) % items.size()));
        }
        return order;
    }

    private static String spread(SimulationConfig sim) {
        return sim.latencySpread() == 0 ? "every call equally fast"
                : String.format(Locale.ROOT, "each call %.2fx to %.2fx as long (latency spread %.2f, even over calls)",
                1 - sim.latencySpread(), 1 + sim.latencySpread(), sim.latencySpread());
    }

    private static String document(BenchOptions options, OverheadReport report, double loadBefore, Instant started,
                                   Settling settling) {
        SimulationConfig sim = options.simulation();
        StringBuilder md = new StringBuilder("## Router overhead\n\n");
        md.append(String.format(Locale.ROOT, """
                Run %s, %s; %d CPUs, load average %.2f before and %.2f after; Java %s.
                Simulated expert: first token %d ms, %.0f tokens/s, %d tokens per answer, %s, no errors.
                Requests per run %s at concurrency %s after %d warm-up requests per path%s; rounds: %d; router JVM options %s.
                Load: %s.%s%s
                Client: %s.

                """,
                started.truncatedTo(ChronoUnit.SECONDS), elapsedSince(started), Runtime.getRuntime().availableProcessors(),
                loadBefore, loadAverage(), Runtime.version(),
                sim.firstTokenLatency().toMillis(), sim.tokensPerSecond(), sim.answerTokens(), spread(sim),
                options.requests(), options.concurrencies(), options.warmup(), settlingText(options, settling), options.rounds(),
                options.routerJvmArgs().isEmpty() ? "(defaults)" : String.join(" ", options.routerJvmArgs()),
                loadModel(options),
                options.backgroundAuto() == 0 ? "" : "\nBackground: " + options.backgroundAuto()
                        + " closed-loop clients sending model \"auto\" (non-streaming) to the router during every measured run"
                        + " and its run warm-up, whichever path is measured.",
                cpuPlacement(options), options.client().description));
        md.append(report.markdown());
        return md.toString();
    }

    private static String loadModel(BenchOptions options) {
        List<String> parts = new ArrayList<>();
        for (int c : options.concurrencies()) {
            int rate = options.rateAt(c);
            parts.add(rate == 0
                    ? "c=" + c + " closed loop (each client sends its next request when its answer is in)"
                    : "c=" + c + " open loop at " + rate + " req/s on a fixed schedule, at most " + c
                    + " in flight, each latency counted from its request's slot");
        }
        return String.join("; ", parts);
    }

    private static String settlingText(BenchOptions options, Settling settling) {
        if (options.jitSettled() == 0) {
            return " (no wait for the JIT)";
        }
        return String.format(Locale.ROOT, ", then %d s more until the JIT compilers %s (%.1f %% of the last cycle spent compiling, limit %.1f %%)",
                settling.warmup().toSeconds(), settling.compilingShare() <= options.jitSettled() ? "settled" : "had NOT settled, time limit reached",
                100 * settling.compilingShare(), 100 * options.jitSettled());
    }

    /**
     * Where the processes ran, when the router was pinned: on two cores shared by all three, a closed loop measures
     * how the load generator and the router share the CPU as much as the router itself.
     */
    private static String cpuPlacement(BenchOptions options) {
        if (options.routerCpus().isEmpty()) {
            return "";
        }
        return "\nCPUs: the router pinned to " + options.routerCpus() + " (taskset); this benchmark's JVM (client and simulated"
                + " expert) allowed " + ownCpus() + ".";
    }

    /** This process's CPU affinity as Linux reports it, or "(unknown)" elsewhere. */
    private static String ownCpus() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("Cpus_allowed_list:")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("(unknown)");
        } catch (IOException e) {
            return "(unknown)";
        }
    }

    private static String elapsedSince(Instant start) {
        Duration d = Duration.between(start, Instant.now());
        return String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, format + "%n", args);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
