package dev.coe.classifier.embedding;

/**
 * How {@link EmbeddingCentroidClassifier} scores a prompt against a category's examples.
 */
public enum PrototypeStrategy {

    /** Cosine similarity to the normalised mean of the category's example embeddings. */
    CENTROID,

    /**
     * Mean cosine similarity to the category's {@code k} nearest examples
     * ({@link EmbeddingClassifierConfig#nearestNeighbours()}); follows categories that are several
     * separate clusters (a physics question and a biology question are both {@code stem}).
     */
    NEAREST_MEAN
}
