package dev.coe.classifier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.List;

/**
 * Remembers the classifications of recent conversations, so that a repeated one (a client retrying after a
 * timeout, an evaluation suite, a cached answer being asked for again) is routed without embedding it again. A
 * classifier is a pure function of the conversation, so a remembered answer is exactly the one it would give.
 * Bounded by the total characters of the conversations held. Thread-safe.
 */
public final class CachingClassifier extends ForwardingClassifier {

    /** About 16 MB of conversation text (Java strings use up to two bytes a character). */
    public static final long DEFAULT_MAX_CHARS = 8_000_000;

    private final Cache<List<Turn>, Classification> recent;

    public CachingClassifier(CategoryClassifier delegate, long maxChars) {
        super(delegate);
        if (maxChars <= 0) {
            throw new IllegalArgumentException("maxChars must be positive, but was " + maxChars);
        }
        this.recent = Caffeine.newBuilder()
                .maximumWeight(maxChars)
                .weigher((List<Turn> turns, Classification c) -> 64 + turns.stream().mapToInt(t -> 16 + t.text().length()).sum())
                .executor(Runnable::run)
                .build();
    }

    @Override
    public Classification classify(List<Turn> conversation) {
        List<Turn> key = List.copyOf(conversation);
        Classification known = recent.getIfPresent(key);
        if (known != null) {
            return known;
        }
        // Not computeIfAbsent: a classification takes milliseconds, and must not block other keys' writers meanwhile.
        Classification fresh = delegate.classify(key);
        recent.put(key, fresh);
        return fresh;
    }

    /** Conversations remembered now (for tests and metrics). */
    public long size() {
        recent.cleanUp();
        return recent.estimatedSize();
    }
}
