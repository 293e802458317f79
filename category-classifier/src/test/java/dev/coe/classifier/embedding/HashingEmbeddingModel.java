package dev.coe.classifier.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double: a bag-of-words embedding (each lower-cased word hashed to one of 64 dimensions).
 * Fast and deterministic, so the classifier's mechanics can be tested without the ONNX model.
 * Counts the segments it embeds. Thread-safe.
 */
class HashingEmbeddingModel implements EmbeddingModel {

    private static final int DIMENSIONS = 64;

    final AtomicInteger segmentsEmbedded = new AtomicInteger();

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        segmentsEmbedded.addAndGet(segments.size());
        return Response.from(segments.stream().map(s -> Embedding.from(vectorOf(s.text()))).toList());
    }

    private static float[] vectorOf(String text) {
        float[] vector = new float[DIMENSIONS];
        for (String word : text.toLowerCase(Locale.ROOT).split("\\W+")) {
            if (!word.isEmpty()) {
                vector[Math.floorMod(word.hashCode(), DIMENSIONS)] += 1;
            }
        }
        return vector;
    }
}
