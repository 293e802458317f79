package dev.coe.classifier.embedding;

import dev.coe.classifier.Turn;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.util.List;

/**
 * Test-scope door to the router's own way of embedding a conversation, for experiments in other packages that try
 * another head on the same vectors. Not used by any test.
 */
public final class ExperimentEmbeddings {

    private final ConversationEmbedder embedder;

    public ExperimentEmbeddings(EmbeddingModel model) {
        this.embedder = new ConversationEmbedder(model, EmbeddingClassifierConfig.ofDefaults());
    }

    public float[] conversation(List<Turn> conversation) {
        return embedder.embed(conversation);
    }

    public float[][] texts(List<String> texts) {
        return embedder.embedTexts(texts);
    }
}
