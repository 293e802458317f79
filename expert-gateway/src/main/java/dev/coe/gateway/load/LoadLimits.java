package dev.coe.gateway.load;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * When a local engine counts as overloaded, and how its load is read: the Prometheus endpoint to scrape, how often,
 * how long a reading stays good, and the limits. Immutable and thread-safe; build with {@link #builder()}, which
 * validates every value and names the one that is wrong.
 * <p>
 * A limit left null is not checked. With no limit at all the monitor still scrapes, which is useful for showing
 * the load, but never reports the engine overloaded.
 */
public final class LoadLimits {

    public static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_SCRAPE_TIMEOUT = Duration.ofSeconds(1);
    /** A reading older than this many scrape intervals is stale, unless {@code staleAfter} is set. */
    public static final int DEFAULT_STALE_INTERVALS = 3;

    private final URI metricsUrl;
    private final Integer maxRequestsWaiting;
    private final Double maxKvCacheUsage;
    private final Duration scrapeInterval;
    private final Duration scrapeTimeout;
    private final Duration staleAfter;

    private LoadLimits(Builder b) {
        this.metricsUrl = b.metricsUrl;
        this.maxRequestsWaiting = b.maxRequestsWaiting;
        this.maxKvCacheUsage = b.maxKvCacheUsage;
        this.scrapeInterval = b.scrapeInterval;
        this.scrapeTimeout = b.scrapeTimeout;
        this.staleAfter = b.staleAfter != null ? b.staleAfter : b.scrapeInterval.multipliedBy(DEFAULT_STALE_INTERVALS);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where an OpenAI-compatible engine serves its metrics: vLLM serves {@code /metrics} at the root of the server,
     * next to {@code /v1}. So {@code http://host:8000/v1} gives {@code http://host:8000/metrics}, and a base URL
     * behind a path prefix keeps the prefix ({@code http://gw/vllm-a/v1} gives {@code http://gw/vllm-a/metrics}).
     *
     * @throws IllegalArgumentException if {@code baseUrl} is not an absolute http(s) URL
     */
    public static URI metricsUrlFor(URI baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        requireHttp("baseUrl", baseUrl);
        String path = baseUrl.getPath() == null ? "" : baseUrl.getPath();
        path = path.replaceAll("/+$", "");
        if (path.endsWith("/v1")) {
            path = path.substring(0, path.length() - "/v1".length());
        }
        return URI.create(baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + path + "/metrics");
    }

    /** The Prometheus text endpoint scraped, e.g. {@code http://localhost:8000/metrics}. */
    public URI metricsUrl() { return metricsUrl; }

    /** The most requests that may wait in the engine's queue ({@code vllm:num_requests_waiting}); null: no limit. */
    public Integer maxRequestsWaiting() { return maxRequestsWaiting; }

    /** The highest KV-cache usage, 0 to 1 ({@code vllm:kv_cache_usage_perc}); null: no limit. */
    public Double maxKvCacheUsage() { return maxKvCacheUsage; }

    /** The pause between the end of one scrape and the start of the next. */
    public Duration scrapeInterval() { return scrapeInterval; }

    /** The longest one scrape may take, connecting included. */
    public Duration scrapeTimeout() { return scrapeTimeout; }

    /** How old the last good reading may be before it is no longer trusted (default 3 × the scrape interval). */
    public Duration staleAfter() { return staleAfter; }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoadLimits l && metricsUrl.equals(l.metricsUrl)
                && Objects.equals(maxRequestsWaiting, l.maxRequestsWaiting) && Objects.equals(maxKvCacheUsage, l.maxKvCacheUsage)
                && scrapeInterval.equals(l.scrapeInterval) && scrapeTimeout.equals(l.scrapeTimeout) && staleAfter.equals(l.staleAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(metricsUrl, maxRequestsWaiting, maxKvCacheUsage, scrapeInterval, scrapeTimeout, staleAfter);
    }

    @Override
    public String toString() {
        return "LoadLimits{metricsUrl=" + metricsUrl + ", maxRequestsWaiting=" + maxRequestsWaiting
                + ", maxKvCacheUsage=" + maxKvCacheUsage + ", scrapeInterval=" + scrapeInterval
                + ", scrapeTimeout=" + scrapeTimeout + ", staleAfter=" + staleAfter + "}";
    }

    private static void requireHttp(String name, URI url) {
        if (!url.isAbsolute() || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                || url.getRawAuthority() == null) {
            throw new IllegalArgumentException(name + " must be an absolute http:// or https:// URL, but was '" + url + "'");
        }
    }

    /** Collects and validates the values of a {@link LoadLimits}. Not thread-safe. */
    public static final class Builder {

        private URI metricsUrl;
        private Integer maxRequestsWaiting;
        private Double maxKvCacheUsage;
        private Duration scrapeInterval = DEFAULT_SCRAPE_INTERVAL;
        private Duration scrapeTimeout = DEFAULT_SCRAPE_TIMEOUT;
        private Duration staleAfter;

        private Builder() {
        }

        public Builder metricsUrl(URI metricsUrl) {
            this.metricsUrl = Objects.requireNonNull(metricsUrl, "metricsUrl");
            return this;
        }

        public Builder metricsUrl(String metricsUrl) {
            return metricsUrl(URI.create(Objects.requireNonNull(metricsUrl, "metricsUrl")));
        }

        /** The metrics URL derived from an OpenAI-compatible base URL; see {@link LoadLimits#metricsUrlFor(URI)}. */
        public Builder baseUrl(URI baseUrl) {
            return metricsUrl(metricsUrlFor(baseUrl));
        }

        public Builder maxRequestsWaiting(Integer max) {
            this.maxRequestsWaiting = max;
            return this;
        }

        public Builder maxKvCacheUsage(Double max) {
            this.maxKvCacheUsage = max;
            return this;
        }

        public Builder scrapeInterval(Duration interval) {
            this.scrapeInterval = interval;
            return this;
        }

        public Builder scrapeTimeout(Duration timeout) {
            this.scrapeTimeout = timeout;
            return this;
        }

        /** Null: 3 × the scrape interval. */
        public Builder staleAfter(Duration staleAfter) {
            this.staleAfter = staleAfter;
            return this;
        }

        /** @throws IllegalArgumentException naming the first value that is missing or out of range */
        public LoadLimits build() {
            if (metricsUrl == null) {
                throw new IllegalArgumentException("metricsUrl must be set (or derived with baseUrl)");
            }
            requireHttp("metricsUrl", metricsUrl);
            if (maxRequestsWaiting != null && maxRequestsWaiting < 0) {
                throw new IllegalArgumentException("maxRequestsWaiting must be >= 0, but was " + maxRequestsWaiting);
            }
            if (maxKvCacheUsage != null && !(maxKvCacheUsage >= 0 && maxKvCacheUsage <= 1)) {
                throw new IllegalArgumentException("maxKvCacheUsage must be between 0 and 1, but was " + maxKvCacheUsage);
            }
            requirePositive("scrapeInterval", scrapeInterval);
            requirePositive("scrapeTimeout", scrapeTimeout);
            if (staleAfter != null) {
                requirePositive("staleAfter", staleAfter);
                if (staleAfter.compareTo(scrapeInterval) < 0) {
                    throw new IllegalArgumentException("staleAfter must be at least the scrapeInterval (" + scrapeInterval
                            + "), but was " + staleAfter);
                }
            }
            return new LoadLimits(this);
        }

        private static void requirePositive(String name, Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, but was " + d);
            }
        }
    }
}
