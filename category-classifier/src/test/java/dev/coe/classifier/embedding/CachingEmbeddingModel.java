package dev.coe.classifier.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test helper: remembers the embedding of every text, so that several classifier variants can be
 * built from the same examples while the real model embeds each text only once. Thread-safe.
 */
public final class CachingEmbeddingModel implements EmbeddingModel {

    private final EmbeddingModel delegate;
    private final Map<String, Embedding> cache = new ConcurrentHashMap<>();

    public CachingEmbeddingModel(EmbeddingModel delegate) {
        this.delegate = delegate;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        List<TextSegment> missing = segments.stream().filter(s -> !cache.containsKey(s.text())).distinct().toList();
        if (!missing.isEmpty()) {
            List<Embedding> embedded = delegate.embedAll(missing).content();
            for (int i = 0; i < missing.size(); i++) {
                cache.put(missing.get(i).text(), embedded.get(i));
            }
        }
        return Response.from(segments.stream().map(s -> cache.get(s.text())).toList());
    }
}
