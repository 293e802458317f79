package dev.coe.router.expert;

import dev.coe.gateway.Cost;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.SimulationConfig;
import dev.coe.gateway.load.LoadLimits;
import dev.coe.gateway.resilience.ResilienceConfig;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code config/experts.yaml} into validated {@link ExpertConfig}s. A bad entry fails start-up
 * with a message naming the expert and the field, rather than leaving a half-configured router.
 */
public final class ExpertCatalog {

    static final YAMLMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ExpertCatalog() {
    }

    /**
     * @throws IllegalArgumentException naming the expert and field when the file is invalid
     */
    public static List<ExpertConfig> parse(String yaml) {
        return configs(read(yaml));
    }

    /**
     * Reads the file without building its experts.
     *
     * @throws IllegalArgumentException when it is not valid YAML of the right shape, or lists no expert
     */
    public static ExpertsFile read(String yaml) {
        ExpertsFile file;
        try {
            file = YAML.readValue(yaml, ExpertsFile.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("experts.yaml is not valid: " + e.getOriginalMessage(), e);
        }
        if (file == null || file.experts().isEmpty()) {
            throw new IllegalArgumentException("experts.yaml must list at least one expert under 'experts'");
        }
        return file;
    }

    /**
     * The configs of every enabled entry, in file order.
     *
     * @throws IllegalArgumentException naming the expert and field of the first invalid entry
     */
    public static List<ExpertConfig> configs(ExpertsFile file) {
        List<ExpertConfig> configs = new ArrayList<>();
        for (ExpertsFile.Entry entry : file.experts()) {
            if (entry != null && (entry.enabled() == null || entry.enabled())) {
                configs.add(config(entry, file.defaults()));
            }
        }
        return configs;
    }

    /**
     * One entry with the defaults it inherits.
     *
     * @throws IllegalArgumentException naming the expert and field when the entry is invalid
     */
    public static ExpertConfig config(ExpertsFile.Entry entry, ExpertsFile.Defaults defaults) {
        return toConfig(entry, defaults != null ? defaults : new ExpertsFile.Defaults(null, null, null, null));
    }

    private static ExpertConfig toConfig(ExpertsFile.Entry e, ExpertsFile.Defaults defaults) {
        if (e.id() == null) {
            throw new IllegalArgumentException("every expert in experts.yaml needs an 'id'");
        }
        ExpertConfig.Builder b = ExpertConfig.builder(e.id())
                .provider(ProviderKind.fromConfigName(e.provider()))
                .baseUrl(e.baseUrl())
                .model(e.model())
                .apiKeyEnv(e.apiKeyEnv())
                .description(e.description());
        Duration connect = duration(e.id(), "connect-timeout", first(e.connectTimeout(), defaults.connectTimeout()));
        if (connect != null) b.connectTimeout(connect);
        Duration total = duration(e.id(), "request-timeout", first(e.requestTimeout(), defaults.requestTimeout()));
        if (total != null) b.requestTimeout(total);
        if (e.cost() != null) {
            b.cost(new Cost(e.cost().activeParamsB(), e.cost().inputUsdPerMillion(), e.cost().outputUsdPerMillion()));
        }
        b.cacheTtl(cacheTtl(e.id(), defaults.cache(), e.cache()));
        if (e.load() != null) {
            b.load(loadLimits(e));
        }
        ResilienceConfig.Builder resilience = ResilienceConfig.builder();
        ResilienceSettings.apply(e.id(), "defaults.resilience", defaults.resilience(), resilience);
        ResilienceSettings.apply(e.id(), "resilience", e.resilience(), resilience);
        try {
            b.resilience(resilience.build());
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException("resilience of expert " + e.id() + ": " + invalid.getMessage(), invalid);
        }
        if (e.simulation() != null) {
            ExpertsFile.SimulationEntry s = e.simulation();
            SimulationConfig d = SimulationConfig.DEFAULT;
            Duration latency = first(duration(e.id(), "simulation.first-token-latency", s.firstTokenLatency()), d.firstTokenLatency());
            try {
                b.simulation(new SimulationConfig(latency,
                        first(s.tokensPerSecond(), d.tokensPerSecond()),
                        first(s.errorRate(), d.errorRate()),
                        first(s.answerTokens(), d.answerTokens()),
                        first(s.latencySpread(), d.latencySpread())));
            } catch (IllegalArgumentException invalid) {
                throw new IllegalArgumentException("simulation of expert " + e.id() + ": " + invalid.getMessage(), invalid);
            }
        }
        return b.build();
    }

    private static LoadLimits loadLimits(ExpertsFile.Entry e) {
        ExpertsFile.LoadEntry l = e.load();
        try {
            LoadLimits.Builder b = LoadLimits.builder().maxRequestsWaiting(l.maxRequestsWaiting()).maxKvCacheUsage(l.maxKvCacheUsage());
            if (l.metricsUrl() != null) {
                b.metricsUrl(l.metricsUrl());
            } else if (e.baseUrl() != null) {
                b.baseUrl(java.net.URI.create(e.baseUrl().trim()));
            }
            Duration interval = duration(e.id(), "load.scrape-interval", l.scrapeInterval());
            if (interval != null) {
                b.scrapeInterval(interval);
            }
            return b.build();
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException("load of expert " + e.id() + ": " + invalid.getMessage(), invalid);
        }
    }

    /** The expert's own cache block wins field by field over the defaults' block; {@code enabled: false} means ttl 0. */
    private static Duration cacheTtl(String expert, ExpertsFile.CacheEntry defaults, ExpertsFile.CacheEntry own) {
        Boolean enabled = own != null && own.enabled() != null ? own.enabled() : defaults != null ? defaults.enabled() : null;
        if (Boolean.FALSE.equals(enabled)) {
            return Duration.ZERO;
        }
        String ttl = own != null && own.ttl() != null ? own.ttl() : defaults != null ? defaults.ttl() : null;
        Duration d = duration(expert, "cache.ttl", ttl);
        return d == null ? ExpertConfig.DEFAULT_CACHE_TTL : d;
    }

    static Duration duration(String expert, String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return DurationStyle.detectAndParse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " of expert " + expert + " must be a duration like 2s or 500ms, but was '" + text + "'", e);
        }
    }

    private static <T> T first(T value, T fallback) {
        return value != null ? value : fallback;
    }

}
