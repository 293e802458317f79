package dev.coe.bench;

import dev.coe.gateway.SimulationConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one run of {@link SoakBenchmark} does, from its command line. Immutable.
 *
 * @param duration       how long the load runs
 * @param concurrency    client workers, each a closed loop
 * @param sampleInterval time between two samples of the router's resources
 * @param streamShare    share of requests that stream their answer
 * @param autoShare      share of requests sent with {@code model: "auto"} (classified, then chain [flaky, steady])
 * @param flakyShare     share of requests naming {@code flaky} directly (no fallback: its failures reach the client);
 *                       the rest name {@code steady}
 * @param flaky          how the flaky expert answers (its error rate is answered as 503)
 * @param faults         the flaky expert's dropped connections and slow answers
 * @param steady         how the steady expert answers: as {@code flaky}, without errors
 * @param idleCheck      how long after the load one more sample is taken, with the client closed; zero for none
 * @param routerJar      the router's executable jar, started as its own JVM
 * @param routerJvmArgs  JVM options for the router process
 * @param configSource   the repository's {@code config/}, whose categories and classifier examples are copied
 * @param report         where the Markdown report is written (it is printed as well)
 */
record SoakOptions(Duration duration, int concurrency, Duration sampleInterval, double streamShare, double autoShare,
                   double flakyShare, SimulationConfig flaky, FaultInjection faults, SimulationConfig steady,
                   Duration idleCheck, long distinctPrompts, boolean threadDump, Path routerJar, List<String> routerJvmArgs, Path configSource, Path report) {

    /**
     * A fixed, pre-touched heap: the router's RSS then does not grow as the heap expands, so what RSS adds to
     * the heap figure is native memory (metaspace, code, thread stacks, buffers), where a leak would show.
     */
    static final List<String> DEFAULT_ROUTER_JVM_ARGS = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");

    static final String USAGE = """
            SoakBenchmark options (all optional):
              --duration=10m                how long the load runs (ms, s, m or h; a bare number is seconds)
              --concurrency=32              client workers, each a closed loop
              --sample-interval=30s         time between two samples of the router's resources
              --stream-share=0.5            share of requests that stream
              --auto-share=0.5              share sent as model "auto" (chain [flaky, steady])
              --flaky-share=0.1             share naming "flaky" directly (its failures reach the client); the rest name "steady"
              --error-rate=0.2              flaky: share of calls answered 503
              --drop-rate=0.02              flaky: share of connections cut, half before the answer, half in its middle
              --slow-rate=0.02              flaky: share of answers that start --slow-ms late (past its 1 s first-token timeout)
              --slow-ms=3000
              --latency-ms=20 --tokens-per-second=200 --answer-tokens=10   both simulated experts
              --distinct-prompts=1000       prompts cycled through, so bounded caches settle during warm-up; 0: all different
              --thread-dump=false           count virtual threads with a JSON thread dump (crashed Temurin 25.0.3 under load)
              --idle-check=45s              one more sample this long after the load, with the client closed; 0 for none
              --router-jar=PATH             default router-service/target/router-service-0.1.0-SNAPSHOT-exec.jar
              --router-jvm-args=-Xms256m,-Xmx256m,-XX:+AlwaysPreTouch   comma-separated JVM options for the router
              --config-source=PATH          default config/ of the repository
              --out=PATH                    default integration-tests/target/soak/soak.md
            """;

    /**
     * @throws IllegalArgumentException naming the option that is wrong
     */
    static SoakOptions parse(String[] args) {
        Map<String, String> o = CommandLine.parse(args);
        CommandLine.rejectUnknown(o, "duration", "concurrency", "sample-interval", "stream-share", "auto-share", "flaky-share",
                "error-rate", "drop-rate", "slow-rate", "slow-ms", "latency-ms", "tokens-per-second", "answer-tokens",
                "idle-check", "distinct-prompts", "thread-dump", "router-jar", "router-jvm-args", "config-source", "out", "help");
        Path root = BenchOptions.projectRoot();
        Duration duration = CommandLine.durationOption(o, "duration", Duration.ofMinutes(10));
        Duration interval = CommandLine.durationOption(o, "sample-interval", Duration.ofSeconds(30));
        if (interval.isZero() || duration.compareTo(interval) < 0) {
            throw new IllegalArgumentException("--sample-interval must be positive and at most --duration, but was "
                    + interval + " for a duration of " + duration);
        }
        long concurrency = CommandLine.longOption(o, "concurrency", 32);
        if (concurrency < 1 || concurrency > 4096) {
            throw new IllegalArgumentException("--concurrency must be between 1 and 4096, but was " + concurrency);
        }
        double autoShare = share(o, "auto-share", 0.5);
        double flakyShare = share(o, "flaky-share", 0.1);
        if (autoShare + flakyShare > 1) {
            throw new IllegalArgumentException("--auto-share + --flaky-share must be at most 1, but was " + (autoShare + flakyShare));
        }
        Duration latency = Duration.ofMillis(CommandLine.longOption(o, "latency-ms", 20));
        double tokensPerSecond = CommandLine.doubleOption(o, "tokens-per-second", 200);
        int answerTokens = (int) CommandLine.longOption(o, "answer-tokens", 10);
        SimulationConfig flaky = new SimulationConfig(latency, tokensPerSecond, share(o, "error-rate", 0.2), answerTokens);
        SimulationConfig steady = new SimulationConfig(latency, tokensPerSecond, 0.0, answerTokens);
        FaultInjection faults = new FaultInjection(share(o, "drop-rate", 0.02), share(o, "slow-rate", 0.02),
                Duration.ofMillis(CommandLine.longOption(o, "slow-ms", 3000)));
        return new SoakOptions(duration, (int) concurrency, interval, share(o, "stream-share", 0.5), autoShare, flakyShare,
                flaky, faults, steady,
                CommandLine.durationOption(o, "idle-check", Duration.ofSeconds(45)),
                CommandLine.longOption(o, "distinct-prompts", 1000),
                Boolean.parseBoolean(o.getOrDefault("thread-dump", "false")),
                Path.of(o.getOrDefault("router-jar", root.resolve("router-service/target/router-service-0.1.0-SNAPSHOT-exec.jar").toString())),
                o.containsKey("router-jvm-args") ? List.of(o.get("router-jvm-args").split(",")) : DEFAULT_ROUTER_JVM_ARGS,
                Path.of(o.getOrDefault("config-source", root.resolve("config").toString())),
                Path.of(o.getOrDefault("out", root.resolve("integration-tests/target/soak/soak.md").toString())));
    }

    static boolean wantsHelp(String[] args) {
        return CommandLine.parse(args).containsKey("help");
    }

    private static double share(Map<String, String> o, String name, double fallback) {
        double value = CommandLine.doubleOption(o, name, fallback);
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("--" + name + " must be between 0 and 1, but was " + value);
        }
        return value;
    }
}
