package dev.coe.bench;

import dev.coe.bench.LoadGenerator.Call;
import dev.coe.gateway.SimulationConfig;
import org.HdrHistogram.Histogram;

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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A soak benchmark, not a test: steady closed-loop load through the router against a flaky expert backed up by a
 * steady one, for minutes, sampling the router's heap (after a forced GC), native memory, threads, file descriptors
 * and TCP connections from outside its process, to show that they stay flat: no leak of memory, threads or
 * connections while breakers open and close, retries and fallbacks happen, and connections are cut.
 * <p>
 * Two {@link SimulatedExpertServer}s stand in for the experts: {@code flaky} answers 503 at the error rate, cuts
 * some connections and starts some answers too late, and its breaker is tuned to open within seconds and half-open
 * after {@link #OPEN_STATE_WAIT}; {@code steady} always answers. Every category's chain is [flaky, steady]. The
 * router runs as its own JVM ({@link RouterProcess}); the clients are a {@link LoadGenerator} mixing
 * {@code model: "auto"} with requests naming an expert, streaming and not. See {@code docs/benchmarks.md}.
 */
public final class SoakBenchmark {

    /** How long flaky's open breaker refuses calls before letting probes through. */
    static final Duration OPEN_STATE_WAIT = Duration.ofSeconds(5);
    /** A silence this long in flaky's calls is its breaker being open (load alone leaves gaps of milliseconds). */
    static final Duration PAUSE_THRESHOLD = OPEN_STATE_WAIT.multipliedBy(4).dividedBy(5);
    /** Flaky's first-token timeout: late streams (3 s by default) run past it. */
    static final Duration FLAKY_FIRST_TOKEN_TIMEOUT = Duration.ofSeconds(1);
    /**
     * Flaky's request timeout: late one-piece answers run past it. (The gateway bounds a one-piece call by the request
     * timeout only; the first-token timeout applies to streams.)
     */
    static final Duration FLAKY_REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final String CLIENT_KEEPALIVE_PROPERTY = "jdk.httpclient.keepalive.timeout";
    private static final String FLAKY = "flaky";
    private static final String STEADY = "steady";

    private SoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (SoakOptions.wantsHelp(args)) {
            System.out.print(SoakOptions.USAGE);
            return;
        }
        SoakOptions options = SoakOptions.parse(args);
        // As in RouterOverheadBenchmark: the client drops idle connections before the simulated servers would.
        if (System.getProperty(CLIENT_KEEPALIVE_PROPERTY) == null) {
            System.setProperty(CLIENT_KEEPALIVE_PROPERTY, "10");
        }
        Path workDir = options.report().toAbsolutePath().getParent();
        Files.createDirectories(workDir);
        double loadBefore = loadAverage();
        Instant started = Instant.now();
        ExpertTraffic flakyTraffic = new ExpertTraffic(PAUSE_THRESHOLD);
        ExpertTraffic steadyTraffic = ExpertTraffic.untimed();
        try (SimulatedExpertServer flaky = SimulatedExpertServer.start(0, SimulatedExpertServer.DEFAULT_MODEL, options.flaky(),
                options.faults(), flakyTraffic);
             SimulatedExpertServer steady = SimulatedExpertServer.start(0, SimulatedExpertServer.DEFAULT_MODEL, options.steady(),
                     FaultInjection.NONE, steadyTraffic);
             RouterProcess router = RouterProcess.start(options.routerJar(),
                     writeConfig(workDir.resolve("router-config"), options, flaky, steady),
                     options.routerJvmArgs(), workDir.resolve("router.log"), RouterProcess.DEFAULT_START_TIMEOUT);
             HttpClient probeClient = LoadGenerator.newClient();
             HttpClient client = LoadGenerator.newClient()) {
            progress("flaky at %s, steady at %s, router (pid %d) at %s", flaky.baseUrl(), steady.baseUrl(), router.pid(), router.baseUrl());
            RouterProbe probe = new RouterProbe(router.pid(), router.baseUrl(), Set.of(flaky.port(), steady.port()), workDir, probeClient,
                    options.threadDump());
            Mix mix = new Mix(options, router);
            ClientTally tally = new ClientTally(mix.labels(), mix::backedUp);
            LoadGenerator load = new LoadGenerator(BenchClient.jdk(client), options.distinctPrompts());
            checkSetUp(load, mix);

            long loadStart = System.nanoTime();
            CompletableFuture<List<String>> running = startLoad(load, options, mix, tally, loadStart);
            List<SoakSample> samples = sampleUnderLoad(options, router, probe, tally, flakyTraffic, loadStart);
            List<String> problems = running.join();
            Duration loadTime = Duration.ofNanos(System.nanoTime() - loadStart);
            tally.interval(); // the requests after the last sample, into the totals
            PrometheusText finalMetrics = probe.scrape();
            // Closing the client closes its connections: the idle sample shows what the router keeps without clients.
            client.close();
            SoakSample idle = idleSample(options, router, probe, loadTime, flakyTraffic);
            SoakReport report = new SoakReport(
                    new SoakReport.Header(started.truncatedTo(ChronoUnit.SECONDS).toString(),
                            SoakReport.minutesAndSeconds(Duration.between(started, Instant.now())),
                            Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(), Runtime.version().toString(),
                            setup(options)),
                    samples, idle, tally.lanes(), loadTime, flakyTraffic, steadyTraffic, finalMetrics, problems);
            String markdown = report.markdown();
            Files.writeString(options.report(), markdown);
            System.out.println(markdown);
            System.out.flush();
            progress("report written to %s; router log in %s", options.report(), workDir.resolve("router.log"));
        }
    }

    /** Starts the clients on a thread of their own; they run a little past the last sample, so that it is taken under load too. */
    private static CompletableFuture<List<String>> startLoad(LoadGenerator load, SoakOptions options, Mix mix, ClientTally tally,
                                                             long loadStart) {
        long deadline = loadStart + options.duration().toNanos() + options.sampleInterval().toNanos() / 4;
        return CompletableFuture.supplyAsync(() -> {
            try {
                return load.runUntil(deadline, options.concurrency(), mix, call -> tally.lane(mix.label(call)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of("interrupted");
            }
        }, task -> Thread.ofPlatform().name("soak-load").daemon().start(task));
    }

    /** The sample taken {@code --idle-check} after the load, or null when that is zero. */
    private static SoakSample idleSample(SoakOptions options, RouterProcess router, RouterProbe probe, Duration loadTime,
                                         ExpertTraffic flakyTraffic) throws InterruptedException {
        if (options.idleCheck().isZero()) {
            return null;
        }
        progress("load stopped; idle sample in %d s", options.idleCheck().toSeconds());
        Thread.sleep(options.idleCheck());
        router.requireRunning();
        return sample(probe, "idle, +" + options.idleCheck().toSeconds() + " s", loadTime.plus(options.idleCheck()),
                emptyInterval(), 0, flakyTraffic);
    }

    /** Takes a sample every interval until the duration is over; returns them in order. */
    private static List<SoakSample> sampleUnderLoad(SoakOptions options, RouterProcess router, RouterProbe probe, ClientTally tally,
                                                    ExpertTraffic flakyTraffic, long loadStart) throws InterruptedException {
        List<SoakSample> samples = new ArrayList<>();
        long intervalNanos = options.sampleInterval().toNanos();
        long previous = loadStart;
        for (long k = 1; k * intervalNanos <= options.duration().toNanos(); k++) {
            long due = loadStart + k * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
            }
            router.requireRunning();
            long now = System.nanoTime();
            ClientTally.Interval interval = tally.interval();
            Duration at = Duration.ofNanos(now - loadStart);
            SoakSample sample = sample(probe, clock(at), at, interval, (now - previous) / 1e9, flakyTraffic);
            previous = now;
            samples.add(sample);
            RouterProbe.Resources r = sample.resources();
            progress("%-7s %5.0f req/s, %5.1f %% ok (%5.1f %% backed up) | heap after GC %6.1f MiB, RSS %6.1f MiB, threads %d + %d virtual, fds %d,"
                            + " TCP %d in / %d out / %d close-wait | breaker %s, %d openings",
                    sample.label(), sample.requestsPerSecond(), 100.0 * interval.answered() / Math.max(1, interval.requests()),
                    100.0 * interval.backedUpAnswered() / Math.max(1, interval.backedUpRequests()),
                    r.heapAfterGcBytes() / 1048576.0, r.rssBytes() / 1048576.0, r.platformThreads(), r.virtualThreads(),
                    r.openFds(), r.tcpIn(), r.tcpOut(), r.closeWait(), sample.counters().breakerState(),
                    sample.counters().breakerOpenings());
        }
        return samples;
    }

    private static SoakSample sample(RouterProbe probe, String label, Duration at, ClientTally.Interval interval, double seconds,
                                     ExpertTraffic flakyTraffic) throws InterruptedException {
        RouterProbe.Reading reading = probe.read();
        PrometheusText m = reading.metrics();
        SoakSample.Counters counters = new SoakSample.Counters(
                m.sum("coe_router_fallbacks_total"),
                m.sum("resilience4j_circuitbreaker_not_permitted_calls_total", "name", FLAKY),
                m.sum("coe_expert_retries_total", "expert", FLAKY),
                m.labelWhereOne("resilience4j_circuitbreaker_state", "state", "name", FLAKY).orElse("?"),
                flakyTraffic.pauses());
        return new SoakSample(at, label, reading.resources(), interval, seconds, counters);
    }

    /** One request of each kind that {@code steady} backs up must succeed before the soak starts, or the set-up is broken. */
    private static void checkSetUp(LoadGenerator load, Mix mix) throws InterruptedException {
        for (Call call : mix.backedUpCalls()) {
            for (int attempt = 1; ; attempt++) {
                RunResult probe = load.run(call.target(), call.streaming(), 1, 1, Duration.ofSeconds(60));
                if (probe.succeeded() == 1) {
                    break;
                }
                // A request to "auto" may meet a cut mid-stream at flaky; a few tries tell that from a broken set-up.
                if (attempt == 5) {
                    throw new IllegalStateException(mix.label(call) + " failed 5 times; the last: " + probe.firstError);
                }
            }
        }
    }

    private static Path writeConfig(Path dir, SoakOptions options, SimulatedExpertServer flaky, SimulatedExpertServer steady)
            throws IOException {
        deleteTree(dir);
        return BenchConfigDir.write(dir, options.configSource(), expertsYaml(options, flaky, steady), List.of(FLAKY, STEADY),
                "SoakBenchmark");
    }

    /**
     * Flaky's bulkhead: three quarters of the clients. With most requests trying flaky first it is full now and then,
     * more so while late answers hold their slots, and the calls it refuses fall back to steady.
     */
    static int flakyBulkhead(int concurrency) {
        return Math.max(2, concurrency * 3 / 4);
    }

    private static String expertsYaml(SoakOptions options, SimulatedExpertServer flaky, SimulatedExpertServer steady) {
        return """
                # Written by SoakBenchmark: two simulated OpenAI-compatible servers. flaky fails often; its breaker opens
                # within seconds, half-opens after %d s and lets 2 probes through, so it opens and closes all through the run.
                experts:
                  - id: %s
                    description: Simulated expert that fails, cuts connections and answers late.
                    provider: openai
                    base-url: %s
                    model: %s
                    request-timeout: %dms
                    resilience:
                      first-token-timeout: %dms
                      circuit-breaker: {sliding-window-size: 20, minimum-calls: 10, failure-rate-threshold: 50, slow-call-duration: %dms, open-state-wait: %ds, half-open-calls: 2}
                      bulkhead: {max-concurrent-calls: %d, max-queue-wait: 0ms}
                      retry: {max-attempts: 2, initial-backoff: 50ms, multiplier: 2, jitter: 0.5, max-backoff: 200ms}
                  - id: %s
                    description: Simulated expert that always answers.
                    provider: openai
                    base-url: %s
                    model: %s
                """.formatted(OPEN_STATE_WAIT.toSeconds(), FLAKY, flaky.baseUrl(), flaky.model(), FLAKY_REQUEST_TIMEOUT.toMillis(),
                FLAKY_FIRST_TOKEN_TIMEOUT.toMillis(), FLAKY_FIRST_TOKEN_TIMEOUT.toMillis(), OPEN_STATE_WAIT.toSeconds(),
                flakyBulkhead(options.concurrency()), STEADY, steady.baseUrl(), steady.model());
    }

    private static String setup(SoakOptions o) {
        SimulationConfig sim = o.flaky();
        return String.format(Locale.ROOT, """
                        Load: %d clients in closed loops for %s; each request is model "auto" with probability %.2f, names `flaky` \
                        with %.2f and `steady` otherwise, and streams with probability %.2f. Samples every %s, each right after a \
                        full GC forced with `jcmd GC.run`; router JVM options %s.

                        Experts, simulated over HTTP: first token after %d ms, %.0f tokens/s, %d tokens. `flaky` answers %.0f %% of \
                        its calls with 503, cuts %.0f %% of its connections (half before the answer, half in its middle) and starts \
                        %.0f %% of its answers %d ms late; `steady` never fails. Every category's chain, and the chain for uncertain \
                        classifications, is [flaky, steady]. `flaky`'s breaker: 20 calls, opens at 50 %% failures, open for %d s, \
                        2 probes; first-token timeout %d ms (streams), request timeout %d ms; 2 attempts; bulkhead %d calls, no queue.""",
                o.concurrency(), SoakReport.minutesAndSeconds(o.duration()), o.autoShare(), o.flakyShare(), o.streamShare(),
                o.sampleInterval().toSeconds() + " s", String.join(" ", o.routerJvmArgs()),
                sim.firstTokenLatency().toMillis(), sim.tokensPerSecond(), sim.answerTokens(), sim.errorRate() * 100,
                o.faults().dropRate() * 100, o.faults().slowRate() * 100, o.faults().slowDelay().toMillis(),
                OPEN_STATE_WAIT.toSeconds(), FLAKY_FIRST_TOKEN_TIMEOUT.toMillis(), FLAKY_REQUEST_TIMEOUT.toMillis(),
                flakyBulkhead(o.concurrency()));
    }

    /**
     * The soak's mix of requests: model "auto", {@code flaky} or {@code steady}, streaming or not, drawn at random per
     * request in the shares of the options. Thread-safe.
     */
    private static final class Mix implements Supplier<Call> {

        private final SoakOptions options;
        private final Target auto;
        private final Target flaky;
        private final Target steady;

        Mix(SoakOptions options, RouterProcess router) {
            this.options = options;
            this.auto = Target.routerAuto(router.baseUrl());
            this.flaky = Target.routerToExpert(router.baseUrl(), FLAKY);
            this.steady = Target.routerToExpert(router.baseUrl(), STEADY);
        }

        @Override
        public Call get() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            double x = random.nextDouble();
            Target target = x < options.autoShare() ? auto : x < options.autoShare() + options.flakyShare() ? flaky : steady;
            return new Call(target, random.nextDouble() < options.streamShare());
        }

        String label(Call call) {
            return label(call.target(), call.streaming());
        }

        List<String> labels() {
            List<String> labels = new ArrayList<>();
            for (Target target : List.of(auto, steady, flaky)) {
                labels.add(label(target, false));
                labels.add(label(target, true));
            }
            return labels;
        }

        /** Requests that {@code steady} backs up: all but those naming {@code flaky}. */
        boolean backedUp(String label) {
            return !label.startsWith(FLAKY);
        }

        List<Call> backedUpCalls() {
            return List.of(new Call(steady, false), new Call(steady, true), new Call(auto, false), new Call(auto, true));
        }

        private static String label(Target target, boolean streaming) {
            return target.model() + (streaming ? ", streaming" : ", one piece");
        }
    }

    private static ClientTally.Interval emptyInterval() {
        return new ClientTally.Interval(0, Map.of(), 0, 0, new Histogram(3));
    }

    private static String clock(Duration at) {
        long seconds = Math.round(at.toMillis() / 1000.0);
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
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
