package dev.coe.gateway.cache;

import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertRequest;
import dev.langchain4j.model.chat.response.ChatResponse;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link ResponseCache#disabled()}: stores nothing and counts nothing. Stateless and thread-safe. */
final class DisabledResponseCache implements ResponseCache {

    static final DisabledResponseCache INSTANCE = new DisabledResponseCache();

    private DisabledResponseCache() {
    }

    @Override
    public Optional<ChatResponse> get(CacheKey key) {
        Objects.requireNonNull(key, "key");
        return Optional.empty();
    }

    @Override
    public void put(CacheKey key, ChatResponse response, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(response, "response");
        Ttl.require(ttl);
    }

    @Override
    public Lookup getOrCompute(CacheKey key, Duration ttl, Supplier<ChatResponse> call) {
        Objects.requireNonNull(key, "key");
        Ttl.require(ttl);
        return new Lookup(Objects.requireNonNull(call.get(), "call returned no response"), CacheStatus.MISS);
    }

    /** The cache takes no part, whatever the directive, and no key is computed. */
    @Override
    public Lookup answer(ExpertConfig expert, ExpertRequest request, CacheDirective directive, Duration ttl,
                         Supplier<ChatResponse> call) {
        Objects.requireNonNull(directive, "directive");
        return new Lookup(Objects.requireNonNull(call.get(), "call returned no response"), CacheStatus.BYPASS);
    }

    @Override
    public void invalidateAll() {
    }

    @Override
    public CacheStats stats() {
        return CacheStats.EMPTY;
    }

    @Override
    public String toString() {
        return "ResponseCache.disabled()";
    }
}
