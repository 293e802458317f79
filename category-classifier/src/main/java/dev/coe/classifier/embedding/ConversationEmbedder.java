package dev.coe.classifier.embedding;

import dev.coe.classifier.Turn;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Turns a conversation or a text into one unit vector: the turns that count ({@code ConversationFocus}),
 * each cut into the pieces that are embedded ({@code TextWindow}), weighted and summed. Both
 * classifiers use it, so that a prompt is embedded the same way at training and at classification
 * time. Thread-safe, provided the {@link EmbeddingModel} is.
 */
final class ConversationEmbedder {

    private final EmbeddingModel model;
    private final EmbeddingClassifierConfig config;

    ConversationEmbedder(EmbeddingModel model, EmbeddingClassifierConfig config) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = Objects.requireNonNull(config, "config");
    }

    EmbeddingClassifierConfig config() {
        return config;
    }

    /**
     * The conversation's unit vector: latest user turn plus weighted earlier user turns.
     *
     * @throws IllegalArgumentException if no turn has text
     */
    float[] embed(List<Turn> conversation) {
        Objects.requireNonNull(conversation, "conversation");
        List<ConversationFocus.WeightedText> focus = ConversationFocus.select(
                conversation, config.previousTurnWeight(), config.maxPreviousTurns());
        float[][] vectors = embedTexts(focus.stream().map(ConversationFocus.WeightedText::text).toList());
        double[] weights = focus.stream().mapToDouble(ConversationFocus.WeightedText::weight).toArray();
        return Vectors.weightedUnitSum(Arrays.asList(vectors), weights);
    }

    /**
     * Embeds texts in one model call (parallel in the bundled model). Each text becomes the
     * weighted mean of its {@code TextWindow} pieces, as a unit vector.
     */
    float[][] embedTexts(List<String> texts) {
        List<List<TextWindow.Chunk>> chunksPerText = texts.stream()
                .map(text -> TextWindow.chunks(text, config.chunkTokens())).toList();
        List<TextSegment> segments = chunksPerText.stream().flatMap(List::stream)
                .map(chunk -> TextSegment.from(chunk.text())).toList();
        List<Embedding> embeddings = model.embedAll(segments).content();
        if (embeddings.size() != segments.size()) {
            throw new IllegalStateException("embedding model returned " + embeddings.size()
                    + " embeddings for " + segments.size() + " texts");
        }
        float[][] vectors = new float[texts.size()][];
        int next = 0;
        for (int t = 0; t < texts.size(); t++) {
            List<TextWindow.Chunk> chunks = chunksPerText.get(t);
            List<float[]> pieces = new ArrayList<>();
            double[] weights = new double[chunks.size()];
            for (int c = 0; c < chunks.size(); c++) {
                pieces.add(Vectors.normalize(embeddings.get(next++).vector()));
                weights[c] = chunks.get(c).weight();
            }
            vectors[t] = Vectors.weightedUnitSum(pieces, weights);
        }
        return vectors;
    }
}
