package dev.coe.gateway.cache;

import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertRequest;
import dev.langchain4j.model.chat.response.ChatResponse;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A store of expert answers by {@link CacheKey}, each kept for its own time to live, that also coalesces
 * identical calls in flight. Implementations are thread-safe. Whether a request may use the cache at all is
 * {@link CachePolicy}'s decision; {@link #answer} applies it.
 */
public interface ResponseCache {

    /** The stored answer for {@code key}, if there is one that has not expired. Never waits for a call in flight. */
    Optional<ChatResponse> get(CacheKey key);

    /**
     * Stores {@code response} for {@code ttl}, replacing any answer stored under {@code key}.
     *
     * @throws IllegalArgumentException if {@code ttl} is not positive
     */
    void put(CacheKey key, ChatResponse response, Duration ttl);

    /**
     * Answers from the cache, or runs {@code call} once for all concurrent callers with the same key and stores
     * its answer for {@code ttl}. {@code call} runs on the thread of the first caller; the others wait for it.
     * An exception of {@code call} ({@link dev.coe.gateway.ExpertException} or any other unchecked one) reaches
     * every waiting caller unchanged, the same instance, and nothing is stored, so the next caller tries again.
     * <p>
     * Status: {@link CacheStatus#HIT} when served from a stored answer or from another caller's call in flight,
     * {@link CacheStatus#MISS} when this caller ran {@code call}.
     *
     * @throws IllegalArgumentException if {@code ttl} is not positive
     * @throws NullPointerException     if {@code call} returns null
     */
    Lookup getOrCompute(CacheKey key, Duration ttl, Supplier<ChatResponse> call);

    /**
     * Counts a caller answered by an identical call in flight that {@link #getOrCompute} did not see (a stream that
     * joined another): a hit, and a coalesced call. Implementations without statistics ignore it.
     */
    default void recordCoalesced() {
    }

    /** Drops every stored answer. Calls in flight finish, but their answers are not stored. */
    void invalidateAll();

    CacheStats stats();

    /**
     * Answers one request as its client's directive allows: from the cache with coalescing when
     * {@link CachePolicy} lets it read, by running {@code call} and storing the answer when it may only store
     * (a refresh, reported as {@link CacheStatus#BYPASS} since nothing was read), or by running {@code call} alone with status {@link CacheStatus#BYPASS}, without computing a
     * key, when it may do neither.
     */
    default Lookup answer(ExpertConfig expert, ExpertRequest request, CacheDirective directive, Duration ttl,
                          Supplier<ChatResponse> call) {
        boolean read = CachePolicy.mayRead(request, directive);
        boolean store = CachePolicy.mayStore(request, directive);
        if (!read && !store) {
            return new Lookup(call.get(), CacheStatus.BYPASS);
        }
        CacheKey key = CacheKey.of(expert, request);
        if (read) {
            // The policy never lets a request read without letting it store, so coalescing is always allowed here.
            return getOrCompute(key, ttl, call);
        }
        // Cache-Control: no-cache: the cache was bypassed for reading, even though the fresh answer is kept.
        ChatResponse fresh = call.get();
        put(key, fresh, ttl);
        return new Lookup(fresh, CacheStatus.BYPASS);
    }

    /** A cache that stores nothing: {@link #getOrCompute} always runs the call (status MISS); stats stay at zero. */
    static ResponseCache disabled() {
        return DisabledResponseCache.INSTANCE;
    }

    /** An answer and where it came from. */
    record Lookup(ChatResponse response, CacheStatus status) {
        public Lookup {
            Objects.requireNonNull(response, "response");
            Objects.requireNonNull(status, "status");
        }
    }
}
