package dev.coe.gateway;

import dev.coe.gateway.load.LoadLimits;
import dev.coe.gateway.resilience.ResilienceConfig;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to reach one expert. Immutable and thread-safe; build with {@link #builder(String)},
 * which validates every value and names the one that is wrong.
 * <p>
 * The API key is never held here: only the name of the environment variable that has it
 * ({@link #apiKeyEnv()}), so that a config can be logged, exported and shown without leaking it.
 */
public final class ExpertConfig {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(10);

    private final ExpertId id;
    private final ProviderKind provider;
    private final URI baseUrl;
    private final String model;
    private final String apiKeyEnv;
    private final String description;
    private final Cost cost;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final SimulationConfig simulation;
    private final ResilienceConfig resilience;
    private final Duration cacheTtl;
    private final LoadLimits load;

    private ExpertConfig(Builder b) {
        this.id = b.id;
        this.provider = b.provider;
        this.baseUrl = b.baseUrl;
        this.model = b.model;
        this.apiKeyEnv = b.apiKeyEnv;
        this.description = b.description;
        this.cost = b.cost;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.simulation = b.simulation;
        this.resilience = b.resilience;
        this.cacheTtl = b.cacheTtl;
        this.load = b.load;
    }

    public static Builder builder(String id) {
        return new Builder(ExpertId.of(id));
    }

    public ExpertId id() { return id; }

    public ProviderKind provider() { return provider; }

    /** Base URL of the provider's API, e.g. {@code http://localhost:8000/v1}; null for a simulated expert. */
    public URI baseUrl() { return baseUrl; }

    /** The model name sent upstream (e.g. {@code Qwen/Qwen3-30B-A3B-Instruct-2507}). */
    public String model() { return model; }

    /** Name of the environment variable holding the API key, if this expert needs one. */
    public Optional<String> apiKeyEnv() { return Optional.ofNullable(apiKeyEnv); }

    public String description() { return description; }

    public Cost cost() { return cost; }

    public Duration connectTimeout() { return connectTimeout; }

    /** Longest a whole call may take, first byte to last. */
    public Duration requestTimeout() { return requestTimeout; }

    public SimulationConfig simulation() { return simulation; }

    /** Circuit breaker, bulkhead, retry, first-token timeout and rate limit of this expert's calls. */
    public ResilienceConfig resilience() { return resilience; }

    /** How long an answer of this expert may be served from the response cache; zero keeps its answers out of it. */
    public Duration cacheTtl() { return cacheTtl; }

    /** Limits on the engine's own load (read from its metrics) beyond which it gets no new calls; empty for none. */
    public Optional<LoadLimits> load() { return Optional.ofNullable(load); }

    /** A copy of this config that answers through a simulated expert with the same id and costs (demo mode). */
    public ExpertConfig asSimulated() {
        return toBuilder().provider(ProviderKind.SIMULATED).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.provider = provider;
        b.baseUrl = baseUrl;
        b.model = model;
        b.apiKeyEnv = apiKeyEnv;
        b.description = description;
        b.cost = cost;
        b.connectTimeout = connectTimeout;
        b.requestTimeout = requestTimeout;
        b.simulation = simulation;
        b.resilience = resilience;
        b.cacheTtl = cacheTtl;
        b.load = load;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExpertConfig that && id.equals(that.id) && provider == that.provider
                && Objects.equals(baseUrl, that.baseUrl) && model.equals(that.model)
                && Objects.equals(apiKeyEnv, that.apiKeyEnv) && description.equals(that.description)
                && cost.equals(that.cost) && connectTimeout.equals(that.connectTimeout)
                && requestTimeout.equals(that.requestTimeout) && simulation.equals(that.simulation)
                && resilience.equals(that.resilience) && cacheTtl.equals(that.cacheTtl) && Objects.equals(load, that.load);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, provider, baseUrl, model, apiKeyEnv);
    }

    @Override
    public String toString() {
        // The key's variable name is safe to show; the key itself never reaches this class.
        return "ExpertConfig{id=" + id + ", provider=" + provider.configName() + ", baseUrl=" + baseUrl
                + ", model=" + model + ", apiKeyEnv=" + apiKeyEnv + "}";
    }

    /** Validating builder for {@link ExpertConfig}. Not thread-safe. */
    public static final class Builder {
        private final ExpertId id;
        private ProviderKind provider;
        private URI baseUrl;
        private String model;
        private String apiKeyEnv;
        private String description = "";
        private Cost cost = Cost.UNKNOWN;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private SimulationConfig simulation = SimulationConfig.DEFAULT;
        private ResilienceConfig resilience = ResilienceConfig.DEFAULTS;
        private Duration cacheTtl = DEFAULT_CACHE_TTL;
        private LoadLimits load;

        private Builder(ExpertId id) {
            this.id = id;
        }

        public Builder provider(ProviderKind provider) { this.provider = provider; return this; }

        public Builder baseUrl(String baseUrl) {
            if (baseUrl == null || baseUrl.isBlank()) {
                this.baseUrl = null;
                return this;
            }
            URI uri;
            try {
                uri = URI.create(baseUrl.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("baseUrl of expert " + id + " is not a URL: '" + baseUrl + "'", e);
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("baseUrl of expert " + id + " must start with http:// or https://, but was '" + baseUrl + "'");
            }
            this.baseUrl = uri;
            return this;
        }

        public Builder model(String model) { this.model = model; return this; }

        public Builder apiKeyEnv(String apiKeyEnv) {
            this.apiKeyEnv = apiKeyEnv == null || apiKeyEnv.isBlank() ? null : apiKeyEnv.trim();
            return this;
        }

        public Builder description(String description) { this.description = description == null ? "" : description; return this; }

        public Builder cost(Cost cost) { this.cost = Objects.requireNonNull(cost, "cost"); return this; }

        public Builder connectTimeout(Duration t) { this.connectTimeout = t; return this; }

        public Builder requestTimeout(Duration t) { this.requestTimeout = t; return this; }

        public Builder simulation(SimulationConfig s) { this.simulation = Objects.requireNonNull(s, "simulation"); return this; }

        public Builder resilience(ResilienceConfig r) { this.resilience = Objects.requireNonNull(r, "resilience"); return this; }

        public Builder cacheTtl(Duration ttl) { this.cacheTtl = ttl; return this; }

        public Builder load(LoadLimits limits) { this.load = limits; return this; }

        public ExpertConfig build() {
            if (provider == null) {
                throw new IllegalArgumentException("provider of expert " + id + " must be set");
            }
            if (provider != ProviderKind.SIMULATED && baseUrl == null) {
                throw new IllegalArgumentException("baseUrl of expert " + id + " must be set for provider " + provider.configName());
            }
            if (model == null || model.isBlank()) {
                if (provider != ProviderKind.SIMULATED) {
                    throw new IllegalArgumentException("model of expert " + id + " must be set");
                }
                model = id.value();
            }
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("requestTimeout", requestTimeout);
            if (cacheTtl == null || cacheTtl.isNegative()) {
                throw new IllegalArgumentException("cache ttl of expert " + id + " must not be negative, but was " + cacheTtl);
            }
            return new ExpertConfig(this);
        }

        private void requirePositive(String name, Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " of expert " + id + " must be positive, but was " + d);
            }
        }
    }
}
