package dev.coe.gateway.load;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Watches the load of one local engine (vLLM, or anything serving vLLM's gauges) by scraping its Prometheus
 * endpoint every {@link LoadLimits#scrapeInterval()}, and says whether it is over its {@link LoadLimits}. Thread-safe;
 * {@link #overloaded()} costs a volatile read and a clock read, so it can sit on the request path.
 * <pre>{@code
 * EngineLoadMonitor monitor = EngineLoadMonitor.of(LoadLimits.builder().baseUrl(URI.create("http://gpu1:8000/v1"))
 *         .maxRequestsWaiting(8).maxKvCacheUsage(0.95).build()).start();
 * monitor.overloaded().ifPresent(why -> log.info("skipping local engine: {}", why));
 * }</pre>
 * <b>Fails open.</b> It reports an engine overloaded only on a fresh reading: once the last good scrape is older
 * than {@link LoadLimits#staleAfter()} it reports nothing, whatever that reading said. A failed scrape (refused,
 * timed out, HTTP 500, gauges missing) keeps the last good reading until it goes stale, so that one lost scrape
 * does not swing the verdict, and shows in {@link #lastError()}. An engine that cannot be reached at all is the
 * business of its health check and circuit breaker, not of this monitor.
 * <p>
 * Never throws from a scrape; {@link #start()} throws {@link IllegalStateException} after {@link #close()}.
 */
public final class EngineLoadMonitor implements AutoCloseable {

    public static final String REQUESTS_WAITING = "vllm:num_requests_waiting";
    public static final String REQUESTS_RUNNING = "vllm:num_requests_running";
    public static final String KV_CACHE_USAGE = "vllm:kv_cache_usage_perc";
    /** The name of the KV-cache gauge before vLLM 0.10 renamed it; read when the new one is absent. */
    public static final String GPU_CACHE_USAGE = "vllm:gpu_cache_usage_perc";

    private static final Logger LOG = LoggerFactory.getLogger(EngineLoadMonitor.class);

    /** What the monitor knows: the last good reading with its verdict, and the failure of the latest scrape. */
    private record State(EngineLoad load, Optional<String> verdict, String failure) {
        static final State NONE = new State(null, Optional.empty(), null);
    }

    private final LoadLimits limits;
    private final HttpClient http;
    private final boolean ownsHttp;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final LongSupplier nanoTime;
    private final long staleAfterNanos;
    private final HttpRequest request;
    /** Held while scraping: the scheduler's scrape and a caller's {@link #scrapeNow()} may meet. */
    private final Object scrapeLock = new Object();
    private volatile State state = State.NONE;
    private ScheduledFuture<?> schedule;
    private boolean closed;

    private EngineLoadMonitor(Builder b) {
        this.limits = b.limits;
        this.ownsHttp = b.http == null;
        this.http = ownsHttp ? HttpClient.newBuilder().connectTimeout(limits.scrapeTimeout())
                .version(HttpClient.Version.HTTP_1_1).build() : b.http;
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = ownsScheduler ? Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("engine-load-" + limits.metricsUrl().getRawAuthority()).factory()) : b.scheduler;
        this.nanoTime = b.nanoTime;
        this.staleAfterNanos = limits.staleAfter().toNanos();
        // Asking for the classic text format: a server that speaks OpenMetrics or protobuf too falls back to it.
        this.request = HttpRequest.newBuilder(limits.metricsUrl()).timeout(limits.scrapeTimeout())
                .header("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1").GET().build();
    }

    /** A monitor with its own daemon scrape thread and HTTP client; not yet started. */
    public static EngineLoadMonitor of(LoadLimits limits) {
        return builder(limits).build();
    }

    public static Builder builder(LoadLimits limits) {
        return new Builder(limits);
    }

    /**
     * Scrapes now and then every scrape interval, on the scheduler. Calling it again does nothing.
     *
     * @throws IllegalStateException if the monitor was closed
     */
    public synchronized EngineLoadMonitor start() {
        if (closed) {
            throw new IllegalStateException("engine load monitor of " + limits.metricsUrl() + " is closed");
        }
        if (schedule == null) {
            long interval = limits.scrapeInterval().toNanos();
            schedule = scheduler.scheduleWithFixedDelay(this::scrapeNow, 0, interval, TimeUnit.NANOSECONDS);
        }
        return this;
    }

    /**
     * Scrapes once, on the calling thread, and takes the reading in. Never throws.
     *
     * @return the reading, or empty when the scrape failed (then {@link #lastError()} says why)
     */
    public Optional<EngineLoad> scrapeNow() {
        synchronized (scrapeLock) {
            State before = state;
            State after;
            try {
                after = read(before);
            } catch (RuntimeException bug) {
                after = new State(before.load(), before.verdict(), "scrape of " + limits.metricsUrl() + " failed: " + bug);
            }
            state = after;
            logChange(before, after);
            return after.failure() == null ? Optional.of(after.load()) : Optional.empty();
        }
    }

    /**
     * Why the engine is over a limit, e.g. {@code "vllm:num_requests_waiting 12 > limit 8"}; empty when it is not,
     * when no limit is set, and when there is no fresh reading.
     */
    public Optional<String> overloaded() {
        State current = state;
        if (current.verdict().isEmpty() || stale(current.load())) {
            return Optional.empty();
        }
        return current.verdict();
    }

    /** The last good reading, fresh or stale; empty before the first good scrape. */
    public Optional<EngineLoad> load() {
        return Optional.ofNullable(state.load());
    }

    /**
     * Why the monitor has no fresh reading: the failure of the latest scrape, or that the last good one is stale;
     * empty while readings are fresh and before the first scrape.
     */
    public Optional<String> lastError() {
        State current = state;
        if (current.failure() != null) {
            return Optional.of(current.failure());
        }
        if (current.load() != null && stale(current.load())) {
            return Optional.of("the last good scrape of " + limits.metricsUrl() + " is "
                    + ageMillis(current.load()) + " ms old, stale after " + limits.staleAfter().toMillis() + " ms");
        }
        return Optional.empty();
    }

    public LoadLimits limits() {
        return limits;
    }

    /** Stops scraping; an own scheduler and HTTP client are shut down, injected ones left running. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (schedule != null) {
            schedule.cancel(true);
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        if (ownsHttp) {
            http.shutdownNow();
        }
    }

    private State read(State before) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return failed(before, "GET " + limits.metricsUrl() + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(before, "GET " + limits.metricsUrl() + " was interrupted");
        }
        long at = nanoTime.getAsLong();
        if (response.statusCode() != 200) {
            return failed(before, "GET " + limits.metricsUrl() + " answered HTTP " + response.statusCode());
        }
        PrometheusText text = PrometheusText.parse(response.body());
        OptionalDouble waiting = text.sum(REQUESTS_WAITING);
        OptionalDouble running = text.sum(REQUESTS_RUNNING);
        if (waiting.isEmpty() || running.isEmpty()) {
            return failed(before, "the metrics of " + limits.metricsUrl() + " have no "
                    + (waiting.isEmpty() ? REQUESTS_WAITING : REQUESTS_RUNNING)
                    + (text.skippedLines() > 0 ? " (" + text.skippedLines() + " lines not understood)" : ""));
        }
        String cacheMetric = text.mean(KV_CACHE_USAGE).isPresent() ? KV_CACHE_USAGE : GPU_CACHE_USAGE;
        OptionalDouble cache = text.mean(cacheMetric);
        EngineLoad load = new EngineLoad(count(waiting.getAsDouble()), count(running.getAsDouble()),
                cache.isPresent() ? cache.getAsDouble() : null, at);
        return new State(load, verdict(load, cacheMetric), null);
    }

    private static State failed(State before, String why) {
        return new State(before.load(), before.verdict(), why);
    }

    private Optional<String> verdict(EngineLoad load, String cacheMetric) {
        List<String> over = new ArrayList<>(2);
        Integer maxWaiting = limits.maxRequestsWaiting();
        if (maxWaiting != null && load.requestsWaiting() > maxWaiting) {
            over.add(REQUESTS_WAITING + " " + load.requestsWaiting() + " > limit " + maxWaiting);
        }
        Double maxCache = limits.maxKvCacheUsage();
        if (maxCache != null && load.kvCacheUsage() != null && load.kvCacheUsage() > maxCache) {
            over.add(cacheMetric + " " + load.kvCacheUsage() + " > limit " + maxCache);
        }
        return over.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", over));
    }

    /** A gauge's value as a count: rounded, negatives as 0, anything huge or infinite as Integer.MAX_VALUE. */
    private static int count(double value) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, Math.round(value)));
    }

    private boolean stale(EngineLoad load) {
        return load == null || nanoTime.getAsLong() - load.scrapedAtNanos() > staleAfterNanos;
    }

    private long ageMillis(EngineLoad load) {
        return TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - load.scrapedAtNanos());
    }

    private void logChange(State before, State after) {
        if (after.failure() != null && before.failure() == null) {
            LOG.warn("engine load unknown: {}", after.failure());
        } else if (after.failure() == null && before.failure() != null) {
            LOG.info("engine load readable again at {}", limits.metricsUrl());
        }
        if (!after.verdict().equals(before.verdict()) && after.failure() == null) {
            LOG.info("engine at {}: {}", limits.metricsUrl(), after.verdict().orElse("within limits"));
        }
    }

    /** Options of an {@link EngineLoadMonitor}; everything but the limits has a default. Not thread-safe. */
    public static final class Builder {

        private final LoadLimits limits;
        private ScheduledExecutorService scheduler;
        private HttpClient http;
        private LongSupplier nanoTime = System::nanoTime;

        private Builder(LoadLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
        }

        /** Runs the scrapes on this scheduler, which the monitor does not shut down; default: its own daemon thread. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Scrapes with this client, which the monitor does not shut down; default: its own HTTP/1.1 client. */
        public Builder httpClient(HttpClient http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        /** The time source for reading ages, in nanoseconds like {@link System#nanoTime()}; for tests. */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        public EngineLoadMonitor build() {
            return new EngineLoadMonitor(this);
        }
    }
}
