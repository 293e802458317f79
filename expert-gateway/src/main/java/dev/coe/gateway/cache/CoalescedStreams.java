package dev.coe.gateway.cache;

import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Identical streaming requests in flight, by {@link CacheKey}: the first starts the expert's stream, the ones that
 * arrive before it ends join it (see {@link StreamFanout}) instead of calling the expert again. Without this a burst
 * of identical streamed requests (a popular prompt, a client retrying) would each pay for the answer until the first
 * one is stored. Only requests that may read the cache are coalesced, so a client that asked for a fresh answer gets
 * one. The upstream call runs under the deadline of the request that started it. Thread-safe; one per router.
 */
public final class CoalescedStreams {

    /** How a stream was started: the caller's own handle, and whether it joined one already running. */
    public record Started(StreamingHandle handle, boolean joined) {
        public Started {
            Objects.requireNonNull(handle, "handle");
        }
    }

    private final ConcurrentHashMap<CacheKey, StreamFanout> inFlight = new ConcurrentHashMap<>();

    /** Joins the identical stream running under {@code key}, if any; null when there is none. */
    public StreamingHandle joinRunning(CacheKey key, StreamingChatResponseHandler handler) {
        StreamFanout running = inFlight.get(Objects.requireNonNull(key, "key"));
        return running == null ? null : running.join(Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Joins the identical stream running under {@code key}, or starts it: {@code call} gets the handler that shares
     * the stream and returns the upstream handle (it should store the answer when complete, as
     * {@link CachedStreams#storingOnComplete} does). When {@code call} throws, the requests that joined meanwhile
     * are sent the error and it is rethrown; {@code handler} is not sent it.
     */
    public Started joinOrStart(CacheKey key, StreamingChatResponseHandler handler,
                               Function<StreamingChatResponseHandler, StreamingHandle> call) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(call, "call");
        while (true) {
            StreamFanout mine = new StreamFanout(ended -> inFlight.remove(key, ended));
            StreamFanout running = inFlight.putIfAbsent(key, mine);
            if (running != null) {
                StreamingHandle joined = running.join(handler);
                if (joined != null) {
                    return new Started(joined, true);
                }
                // Everyone left that one and it has removed itself: try again.
                continue;
            }
            StreamingHandle own = mine.join(handler);
            try {
                mine.attach(call.apply(mine));
            } catch (RuntimeException | Error e) {
                own.cancel();
                mine.onError(e);
                throw e;
            }
            return new Started(own, false);
        }
    }

    /** Streams in flight now (for tests and diagnostics). */
    public int inFlight() {
        return inFlight.size();
    }
}
