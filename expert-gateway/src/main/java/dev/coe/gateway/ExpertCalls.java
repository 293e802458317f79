package dev.coe.gateway;

import dev.coe.gateway.cache.CacheDirective;
import dev.coe.gateway.cache.CacheKey;
import dev.coe.gateway.cache.CachePolicy;
import dev.coe.gateway.cache.CacheStatus;
import dev.coe.gateway.cache.CachedStreams;
import dev.coe.gateway.cache.CoalescedStreams;
import dev.coe.gateway.cache.ResponseCache;
import dev.coe.gateway.resilience.Deadline;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the router calls one expert of a chain: the response cache first, then the expert behind its guard.
 * A cached answer is served even while the expert's breaker is open, which is when it helps most.
 * Thread-safe; one instance serves every request.
 */
public final class ExpertCalls {

    /** An answer in one piece, and where it came from. */
    public record Answer(ChatResponse response, CacheStatus cache) {
    }

    /** A started stream: the handle that stops it, and whether it is replayed from the cache. */
    public record Stream(StreamingHandle handle, CacheStatus cache) {
    }

    private final ResponseCache cache;
    private final CoalescedStreams streams = new CoalescedStreams();

    public ExpertCalls(ResponseCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    public ResponseCache cache() {
        return cache;
    }

    /**
     * @throws ExpertException when the expert (or, for a coalesced call, the identical call this one joined) failed
     */
    public Answer chat(Expert expert, ExpertRequest request, Deadline deadline, CacheDirective directive) {
        Duration ttl = expert.config().cacheTtl();
        if (ttl.isZero()) {
            return new Answer(expert.chat(request, deadline), CacheStatus.BYPASS);
        }
        ResponseCache.Lookup lookup = cache.answer(expert.config(), request, directive, ttl, () -> expert.chat(request, deadline));
        return new Answer(lookup.response(), lookup.status());
    }

    /**
     * Streams from the cache when it holds the answer (replayed as a stream before this method returns), else from
     * the expert, storing the answer once the stream completes when the request may be cached. A request that may
     * read the cache joins an identical stream already in flight instead of calling the expert again: it is sent
     * what that stream has produced so far, then the rest (status {@link CacheStatus#HIT}, as for a one-piece call
     * that waited for an identical one). Its handle only unsubscribes it; the expert's stream stops when nobody
     * listens any more.
     */
    public Stream stream(Expert expert, ExpertRequest request, Deadline deadline, CacheDirective directive,
                         StreamingChatResponseHandler handler) {
        Duration ttl = expert.config().cacheTtl();
        boolean read = !ttl.isZero() && CachePolicy.mayRead(request, directive);
        boolean store = !ttl.isZero() && CachePolicy.mayStore(request, directive);
        if (!read && !store) {
            return new Stream(expert.stream(request, deadline, handler), CacheStatus.BYPASS);
        }
        CacheKey key = CacheKey.of(expert.config(), request);
        if (!read) {
            // Cache-Control: no-cache: a fresh answer of its own, stored for the next request.
            return new Stream(expert.stream(request, deadline, CachedStreams.storingOnComplete(cache, key, ttl, handler)),
                    CacheStatus.BYPASS);
        }
        // The policy never lets a request read without letting it store, so the shared stream stores the answer.
        StreamingHandle running = streams.joinRunning(key, handler);
        if (running != null) {
            cache.recordCoalesced();
            return new Stream(running, CacheStatus.HIT);
        }
        Optional<ChatResponse> cached = cache.get(key);
        if (cached.isPresent()) {
            CachedStreams.replay(cached.get(), handler);
            return new Stream(Expert.NotCancellable.INSTANCE, CacheStatus.HIT);
        }
        CoalescedStreams.Started started = streams.joinOrStart(key, handler,
                shared -> expert.stream(request, deadline, CachedStreams.storingOnComplete(cache, key, ttl, shared)));
        if (started.joined()) {
            cache.recordCoalesced();
        }
        return new Stream(started.handle(), started.joined() ? CacheStatus.HIT : CacheStatus.MISS);
    }
}
