package dev.coe.classifier.embedding;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An {@link EmbeddingModel} that remembers the vectors of the texts it embedded lately, so that a text seen again is
 * not run through the model again.
 * <p>
 * Why: every request of a chat carries the whole conversation, and the classifier mixes the earlier user turns into
 * the latest one ({@code ConversationFocus}), each turn and its instruction sentence a forward pass of its own. Without
 * this, the third request of a chat costs three times the first, all of it spent on turns that were embedded
 * one and two requests before. With it, a request pays for its new turn only. An embedding model is a pure function
 * of the text, so a remembered vector is exactly the one the model would return (metadata of a segment is not part of
 * the key: the models here embed text only).
 * <p>
 * Bounded by an estimate of the memory its entries hold: two bytes a character plus four a dimension, plus the
 * entry's overhead; Caffeine evicts what is least likely to be asked for again. Texts embedded together are looked
 * up together, and the ones missing go to the delegate in one call, so they are still embedded in parallel.
 * Thread-safe, provided the delegate is.
 */
public final class CachingEmbeddingModel implements EmbeddingModel {

    /** 32 MiB: about 15,000 one-sentence turns or 5,000 long-prompt pieces with bge-small's 384 dimensions. */
    public static final long DEFAULT_MAX_BYTES = 32L << 20;

    private static final int ENTRY_OVERHEAD_BYTES = 96;

    private final EmbeddingModel delegate;
    private final Cache<String, float[]> vectors;

    /**
     * @param maxBytes estimated memory the remembered vectors and their texts may hold
     * @throws IllegalArgumentException unless {@code maxBytes > 0}
     */
    public CachingEmbeddingModel(EmbeddingModel delegate, long maxBytes) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, but was " + maxBytes);
        }
        this.vectors = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String text, float[] vector) -> ENTRY_OVERHEAD_BYTES + 2 * text.length() + 4 * vector.length)
                .executor(Runnable::run) // evict on the caller's thread, so that the bound holds when a call returns
                .recordStats()
                .build();
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        // Each distinct text is looked up once, and what was found is kept here, so that an eviction by a concurrent
        // call between the look-up and the answer cannot lose it.
        Map<String, float[]> known = new HashMap<>();
        Set<String> missing = new LinkedHashSet<>();
        for (TextSegment segment : segments) {
            String text = segment.text();
            if (!known.containsKey(text) && !missing.contains(text)) {
                float[] vector = vectors.getIfPresent(text);
                if (vector != null) {
                    known.put(text, vector);
                } else {
                    missing.add(text);
                }
            }
        }
        if (!missing.isEmpty()) {
            List<String> texts = List.copyOf(missing);
            List<Embedding> embedded = delegate.embedAll(texts.stream().map(TextSegment::from).toList()).content();
            if (embedded.size() != texts.size()) {
                throw new IllegalStateException("embedding model returned " + embedded.size() + " embeddings for "
                        + texts.size() + " texts");
            }
            for (int i = 0; i < texts.size(); i++) {
                float[] vector = embedded.get(i).vector().clone();
                known.put(texts.get(i), vector);
                vectors.put(texts.get(i), vector);
            }
        }
        // A copy each time: Embedding hands out its array, and a caller that normalises it in place must not change
        // what the next caller gets.
        return Response.from(segments.stream().map(s -> Embedding.from(known.get(s.text()).clone())).toList());
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public String modelName() {
        return delegate.modelName();
    }

    /** Hits, misses and evictions since construction. */
    public CacheStats stats() {
        return vectors.stats();
    }

    /**
     * Hands the underlying cache to a metrics binder, such as Micrometer's
     * {@code CaffeineCacheMetrics.monitor(registry, cache, name)}, so that it is reported like the application's other
     * caches; this library itself does not depend on a metrics library.
     */
    public void bindMetrics(Consumer<? super Cache<?, ?>> binder) {
        binder.accept(vectors);
    }

    /** Texts remembered now. */
    public long size() {
        vectors.cleanUp();
        return vectors.estimatedSize();
    }

    @Override
    public String toString() {
        return "CachingEmbeddingModel[" + delegate + "]";
    }
}
