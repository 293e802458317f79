package dev.coe.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * How long the JIT compilers of the router and of this JVM (the client and the simulated expert) have worked so far.
 * A JVM keeps compiling its hot paths for minutes after the first requests: on two cores its C2 thread took 15–40 % of a
 * core during runs that followed a warm-up of 1,500 requests per path (2026-12-06), CPU taken from the requests being
 * measured. The benchmark warms up until both have all but stopped ({@link BenchOptions#jitSettled()}).
 * Not thread-safe: the benchmark's main thread uses it.
 */
final class CompilerActivity {

    /** Micrometer's {@code jvm.compilation.time}: the JVM's approximate accumulated time spent compiling. */
    static final String ROUTER_METRIC = "jvm_compilation_time_ms_total";
    private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(10);

    /** Compilation time so far, in milliseconds, of the router and of this JVM. */
    record Reading(long routerMillis, long ownMillis) {

        /** Compilation time from {@code earlier} to this reading, both JVMs together. */
        long millisSince(Reading earlier) {
            return routerMillis - earlier.routerMillis + ownMillis - earlier.ownMillis;
        }
    }

    private final HttpClient client;
    private final URI prometheusUrl;

    CompilerActivity(HttpClient client, URI routerBaseUrl) {
        this.client = client;
        this.prometheusUrl = routerBaseUrl.resolve("/actuator/prometheus");
    }

    /**
     * @throws IllegalStateException when the router's metrics cannot be read or do not report compilation time
     */
    Reading read() throws InterruptedException {
        return new Reading(routerMillis(), ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
    }

    private long routerMillis() throws InterruptedException {
        PrometheusText metrics = PrometheusText.scrape(client, prometheusUrl, SCRAPE_TIMEOUT);
        if (!metrics.has(ROUTER_METRIC)) {
            throw new IllegalStateException(prometheusUrl + " has no " + ROUTER_METRIC + "; run with --jit-settled=0 to skip the wait");
        }
        return Math.round(metrics.sum(ROUTER_METRIC));
    }
}
