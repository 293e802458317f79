package dev.coe.bench;

import dev.coe.gateway.SimulationConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What one run of {@link RouterOverheadBenchmark} does, from its command line. Immutable.
 *
 * @param concurrencies   client concurrency levels, each a closed loop of that many workers
 * @param requests        requests measured per run at the concurrency of the same index
 * @param rates           requests per second offered by a measured run at the concurrency of the same index, on a
 *                        fixed schedule with each latency counted from its request's slot ({@link Schedule#paced});
 *                        0 for a closed loop
 * @param backgroundAuto  closed-loop clients sending {@code model: "auto"} requests (non-streaming) to the router during
 *                        every measured run, whatever path is measured: classification traffic sharing the router; 0
 *                        for none
 * @param warmup          requests per path and mode at each concurrency before anything is measured
 * @param jitSettled      after the warm-up, keep warming in cycles until the JIT compilers of the router and of this
 *                        JVM together spend at most this share of a cycle's wall time compiling; 0 to measure right
 *                        after the warm-up
 * @param maxWarmupTime   the settling cycles stop here, settled or not (the report says which)
 * @param runWarmup       requests sent right before each measured run, unmeasured, to re-open connections
 * @param rounds          how often every measurement is repeated; the report gives the median of rounds
 * @param maxRunTime      a measured run stops here even when it has not sent all its requests
 * @param modes           which of non-streaming and streaming to measure
 * @param client          how the load generator sends requests and reads answers ({@link BenchClient})
 * @param simulation      how the simulated expert behaves
 * @param routerJar       the router's executable jar, started as its own JVM
 * @param routerJvmArgs   extra JVM options for the router process
 * @param routerCpus      CPUs the router process is pinned to ({@code taskset -c} list, e.g. {@code 1}), so that it does
 *                        not share cores with the load generator and the simulated expert; empty for no pinning
 * @param configSource    the repository's {@code config/}, whose categories and classifier examples are copied
 * @param report          where the Markdown report is written (it is printed as well)
 */
record BenchOptions(List<Integer> concurrencies, List<Integer> requests, List<Integer> rates, int backgroundAuto, int warmup, double jitSettled,
                    Duration maxWarmupTime, int runWarmup, int rounds,
                    Duration maxRunTime, List<Mode> modes, BenchClient.Kind client, SimulationConfig simulation, Path routerJar,
                    List<String> routerJvmArgs, String routerCpus, Path configSource, Path report) {

    /** Whether the answer is read in one piece or as server-sent events. */
    enum Mode {
        NON_STREAMING("non-streaming"), STREAMING("streaming");

        final String label;

        Mode(String label) {
            this.label = label;
        }

        static Mode of(String label) {
            return Arrays.stream(values()).filter(m -> m.label.equals(label.trim())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--modes takes non-streaming and/or streaming, but had '" + label + "'"));
        }
    }

    /**
     * Share of wall time the two JVMs' compilers may still take when measuring starts. Compilation never stops
     * entirely (a method deoptimised by a new path is compiled again). On two cores, a closed loop of 64 streams went
     * from 20–50 % at the end of a 2,000-request warm-up per path to under 5 % about two and a half minutes later
     * (2026-12-06). The JVM reports elapsed compile time, which counts a compiler thread waiting for a busy core too, so
     * this overstates the CPU taken; it is a threshold, not a measurement.
     */
    static final double DEFAULT_JIT_SETTLED = 0.05;

    static final String USAGE = """
            RouterOverheadBenchmark options (all optional):
              --concurrency=1,64            client concurrency levels
              --requests=2000,5000          measured requests per run, one number per concurrency level
              --rate=0,0                    requests/s offered per measured run, one number per concurrency level;
                                            0 is a closed loop (each worker sends when its answer is in), N an open
                                            loop on a fixed schedule, each latency counted from its request's slot
              --background-auto=0           clients sending model "auto" to the router during every measured run
                                            (classification traffic beside what is measured)
              --warmup=500                  unmeasured requests per path, mode and concurrency before measuring
              --jit-settled=0.05            then keep warming, a few hundred requests per path at a time, until the
                                            JIT compilers of the router and of the benchmark spend at most this share
                                            of the time compiling (0: measure right after --warmup)
              --max-warmup-seconds=900      stop settling there, settled or not (the report says which)
              --run-warmup=100              unmeasured requests right before each measured run
              --rounds=3                    repetitions; the report shows the median of rounds
              --max-seconds-per-run=120     time bound of one measured run
              --modes=non-streaming,streaming
              --client=jdk                  jdk: the JDK's java.net.http client on virtual threads; socket: blocking
                                            sockets, a platform thread per worker, as the synchronous SDKs read
              --latency-ms=5 --tokens-per-second=1000 --answer-tokens=20   the simulated expert
              --latency-spread=0            0.5: each call takes 0.5x to 1.5x as long (spread evenly over calls,
                                            so both paths see the same mix), as answers differ on a real engine
              --router-jar=PATH             default router-service/target/router-service-0.1.0-SNAPSHOT-exec.jar
              --router-jvm-args=-Xmx1g,-XX:+UseG1GC   comma-separated JVM options for the router process
              --router-cpus=1               pin the router to these CPUs (Linux taskset list); start the benchmark
                                            itself with `taskset -c 0 ./mvnw ...` so that the load generator and the
                                            simulated expert keep to the others; default: no pinning
              --config-source=PATH          default config/ of the repository
              --out=PATH                    default integration-tests/target/bench/router-overhead.md
            """;

    /**
     * @throws IllegalArgumentException naming the option that is wrong
     */
    static BenchOptions parse(String[] args) {
        Map<String, String> o = CommandLine.parse(args);
        CommandLine.rejectUnknown(o, "concurrency", "requests", "rate", "background-auto", "warmup", "jit-settled", "max-warmup-seconds", "run-warmup", "rounds", "max-seconds-per-run",
                "modes", "client", "latency-ms", "tokens-per-second", "answer-tokens", "latency-spread", "router-jar", "router-jvm-args",
                "router-cpus", "config-source", "out", "help");
        Path root = projectRoot();
        List<Integer> concurrencies = ints(o.getOrDefault("concurrency", "1,64"), "concurrency");
        List<Integer> requests = ints(o.getOrDefault("requests", "2000,5000"), "requests");
        if (requests.size() != concurrencies.size()) {
            throw new IllegalArgumentException("--requests needs one number per concurrency level " + concurrencies + ", but was " + requests);
        }
        List<Integer> rates = o.containsKey("rate") ? ints(o.get("rate"), "rate") : concurrencies.stream().map(c -> 0).toList();
        if (rates.size() != concurrencies.size()) {
            throw new IllegalArgumentException("--rate needs one number per concurrency level " + concurrencies + ", but was " + rates);
        }
        SimulationConfig simulation = new SimulationConfig(
                Duration.ofMillis(CommandLine.longOption(o, "latency-ms", 5)),
                CommandLine.doubleOption(o, "tokens-per-second", 1000),
                0.0,
                (int) CommandLine.longOption(o, "answer-tokens", 20),
                CommandLine.doubleOption(o, "latency-spread", 0));
        return new BenchOptions(concurrencies, requests, rates,
                positive(CommandLine.longOption(o, "background-auto", 0), "background-auto", true),
                positive(CommandLine.longOption(o, "warmup", 500), "warmup", true),
                share(CommandLine.doubleOption(o, "jit-settled", DEFAULT_JIT_SETTLED), "jit-settled"),
                Duration.ofSeconds(positive(CommandLine.longOption(o, "max-warmup-seconds", 900), "max-warmup-seconds", false)),
                positive(CommandLine.longOption(o, "run-warmup", 100), "run-warmup", true),
                positive(CommandLine.longOption(o, "rounds", 3), "rounds", false),
                Duration.ofSeconds(positive(CommandLine.longOption(o, "max-seconds-per-run", 120), "max-seconds-per-run", false)),
                Arrays.stream(o.getOrDefault("modes", "non-streaming,streaming").split(",")).map(Mode::of).distinct().toList(),
                BenchClient.Kind.of(o.getOrDefault("client", "jdk")),
                simulation,
                Path.of(o.getOrDefault("router-jar", root.resolve("router-service/target/router-service-0.1.0-SNAPSHOT-exec.jar").toString())),
                o.containsKey("router-jvm-args") ? List.of(o.get("router-jvm-args").split(",")) : List.of(),
                cpuList(o.getOrDefault("router-cpus", "")),
                Path.of(o.getOrDefault("config-source", root.resolve("config").toString())),
                Path.of(o.getOrDefault("out", root.resolve("integration-tests/target/bench/router-overhead.md").toString())));
    }

    static boolean wantsHelp(String[] args) {
        return CommandLine.parse(args).containsKey("help");
    }

    int requestsAt(int concurrency) {
        return requests.get(concurrencies.indexOf(concurrency));
    }

    /** Requests per second offered at {@code concurrency}; 0 for a closed loop. */
    int rateAt(int concurrency) {
        return rates.get(concurrencies.indexOf(concurrency));
    }

    /** The repository root: the nearest directory up from here with both {@code config/} and {@code router-service/}. */
    static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("config")) && Files.isDirectory(dir.resolve("router-service"))) {
                return dir;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    private static double share(double value, String name) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("--" + name + " must be at least 0 and below 1, but was " + value);
        }
        return value;
    }

    /** A {@code taskset -c} CPU list such as {@code 1}, {@code 0,2} or {@code 2-3}; empty for none. */
    static String cpuList(String value) {
        if (!value.isEmpty() && !value.matches("\\d+(-\\d+)?(,\\d+(-\\d+)?)*")) {
            throw new IllegalArgumentException("--router-cpus takes a CPU list such as 1, 0,2 or 2-3, but was '" + value + "'");
        }
        return value;
    }

    private static List<Integer> ints(String csv, String name) {
        try {
            List<Integer> values = Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
            values.forEach(v -> positive(v, name, false));
            return values;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be comma-separated whole numbers, but was '" + csv + "'");
        }
    }

    private static int positive(long value, String name, boolean zeroAllowed) {
        if (value < (zeroAllowed ? 0 : 1) || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--" + name + " must be " + (zeroAllowed ? ">= 0" : ">= 1") + ", but was " + value);
        }
        return (int) value;
    }
}
