package dev.coe.gateway.cache;

import dev.langchain4j.model.chat.response.ChatResponse;

import java.time.Duration;
import java.util.Optional;

/**
 * A second level behind the in-memory cache, shared by every router replica (Redis in the router), so that an answer
 * one replica paid for is a hit on all of them. Implementations must never throw and must bound their waits: the
 * second level is an optimisation, and a slow or dead one must cost a request at most its short timeout, counted as
 * a miss. Thread-safe.
 */
public interface SharedAnswers {

    /** An answer from the second level and how long it has left to live there. */
    record Shared(ChatResponse response, Duration remaining) {
    }

    /** The stored answer, or empty when there is none, it has expired, or the store did not answer in time. */
    Optional<Shared> get(CacheKey key);

    /** Stores {@code response} for {@code ttl}, without making the caller wait for the store. */
    void put(CacheKey key, ChatResponse response, Duration ttl);

    /** No second level: the cache is this process's alone. */
    SharedAnswers NONE = new SharedAnswers() {
        @Override
        public Optional<Shared> get(CacheKey key) {
            return Optional.empty();
        }

        @Override
        public void put(CacheKey key, ChatResponse response, Duration ttl) {
        }

        @Override
        public String toString() {
            return "SharedAnswers.NONE";
        }
    };
}
