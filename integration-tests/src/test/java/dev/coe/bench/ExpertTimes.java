package dev.coe.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the simulated expert received each tagged request, and when it began writing its first token and its end, on
 * the {@link System#nanoTime()} clock that the load generator in the same JVM times its requests with. With both
 * ends on one clock, the time a request spent <em>outside</em> the expert (client, network, and the router when it is
 * in the path) is known per request: its latency less the expert's own time. That pairing is what makes a router's
 * added latency measurable to a fraction of a millisecond under answers of 0.3 to 0.9 s, where the difference of two
 * runs' medians moves by a millisecond or two from the mix of long and short answers alone.
 * <p>
 * Requests are tagged by their OpenAI {@code user} field, which the router passes to the expert unchanged. Thread-safe;
 * an entry lives from the request's arrival at the expert until the load generator takes it.
 */
final class ExpertTimes {

    /** Nanosecond instants; 0 where the point was not reached (no first token of a one-piece answer). */
    record Times(long arrived, long firstToken, long done) {

        /** The expert's own time to its first token, or -1 when it streamed none. */
        long firstTokenNanos() {
            return firstToken == 0 ? -1 : firstToken - arrived;
        }

        /** The expert's own time to the end of its answer, or -1 when it did not finish. */
        long doneNanos() {
            return done == 0 ? -1 : done - arrived;
        }
    }

    private final Map<String, Times> byTag = new ConcurrentHashMap<>();

    /** The request arrived at {@code nanos} (taken before its body was read). */
    void arrived(String tag, long nanos) {
        byTag.put(tag, new Times(nanos, 0, 0));
    }

    /** The expert is about to write its first token. */
    void firstToken(String tag, long nanos) {
        byTag.computeIfPresent(tag, (t, times) -> new Times(times.arrived(), nanos, times.done()));
    }

    /**
     * The expert is about to write the end of its answer ({@code data: [DONE]}, or the one-piece body): recorded before
     * the bytes go out, so that the client, which reads them after, always finds it.
     */
    void done(String tag, long nanos) {
        byTag.computeIfPresent(tag, (t, times) -> new Times(times.arrived(), times.firstToken(), nanos));
    }

    /** Removes and returns the request's times, or null when the expert never saw it (a cache hit, or a failure). */
    Times take(String tag) {
        return byTag.remove(tag);
    }

    /** Entries not taken yet: requests in flight, or ones whose client gave up. */
    int pending() {
        return byTag.size();
    }
}
