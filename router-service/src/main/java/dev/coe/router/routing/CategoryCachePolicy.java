package dev.coe.router.routing;

import dev.coe.gateway.cache.CacheDirective;

import java.util.Arrays;
import java.util.Locale;

/**
 * What a category does with the response cache, set per rule in {@code routing.yaml} ({@code cache:}) or through the
 * admin API. Some categories want fresh answers even to repeated deterministic prompts (roleplay), others can reuse an
 * answer even to a sampled one (extraction of the same document). The client's own headers still win when they are
 * stricter: a {@code no-store} is never turned into a read.
 */
public enum CategoryCachePolicy {
    /** The default: cache deterministic requests (temperature 0 or a seed), as each expert's ttl allows. */
    DETERMINISTIC("deterministic"),
    /** Also cache sampled requests, as if the client had sent {@code x-coe-cache: force}. */
    ALWAYS("always"),
    /** Never read or store answers for this category. */
    OFF("off");

    private final String configName;

    CategoryCachePolicy(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /**
     * @param name null for the default
     * @throws IllegalArgumentException naming the accepted values
     */
    public static CategoryCachePolicy fromConfigName(String name) {
        if (name == null) {
            return DETERMINISTIC;
        }
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.configName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("cache must be one of "
                        + Arrays.stream(values()).map(CategoryCachePolicy::configName).toList() + ", but was '" + name + "'"));
    }

    /** The directive a request of this category runs with, given what its client asked for. */
    public CacheDirective apply(CacheDirective client) {
        return switch (this) {
            case DETERMINISTIC -> client;
            case OFF -> CacheDirective.BYPASS;
            case ALWAYS -> client == CacheDirective.DEFAULT ? CacheDirective.FORCE : client;
        };
    }
}
