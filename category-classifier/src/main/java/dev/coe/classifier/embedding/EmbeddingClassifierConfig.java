package dev.coe.classifier.embedding;

import java.util.Objects;

/**
 * Tuning of {@link EmbeddingCentroidClassifier}. Immutable and thread-safe; build one with
 * {@link #builder()}, or take {@link #ofDefaults()}, whose values were measured on the held-out
 * examples (see the module README).
 */
public final class EmbeddingClassifierConfig {

    /**
     * Softmax temperature over cosine similarities. bge-small similarities of unrelated prompts
     * still sit around 0.4-0.6, so the useful differences are a few hundredths. In 5-fold
     * cross-validation on the handwritten examples, 0.0125-0.015 gave the lowest log-loss, and at
     * 0.015 the mean confidence (0.85) sits just under the accuracy (0.87): not flat, not always 1.
     */
    public static final double DEFAULT_TEMPERATURE = 0.015;

    /**
     * Prototype strategy with the better held-out accuracy: 0.87 for the centroid against 0.77-0.83
     * for the mean of the 3, 5 or 10 nearest examples (5-fold cross-validation, see the module README).
     */
    public static final PrototypeStrategy DEFAULT_PROTOTYPE = PrototypeStrategy.CENTROID;

    /** Neighbours averaged per category by {@link PrototypeStrategy#NEAREST_MEAN}. */
    public static final int DEFAULT_NEAREST_NEIGHBOURS = 5;

    /** Weight of the user turn before the latest; each earlier turn gets this factor again. */
    public static final double DEFAULT_PREVIOUS_TURN_WEIGHT = 0.3;

    /** Earlier user turns mixed in besides the latest one. */
    public static final int DEFAULT_MAX_PREVIOUS_TURNS = 2;

    /**
     * Estimated tokens of the head and of the tail embedded for a long text (see {@code TextWindow}).
     * 96 is about 350-500 characters of English or 96 of Chinese: enough for the instruction at either
     * end of a long prompt plus a sample of the pasted material. The forward pass, which is nearly all
     * of a classification's cost, grows with the tokens embedded: on two cores a 400-word prompt took
     * 47 ms with 256-token pieces, 29 ms with 128 and 21 ms with 96 ({@code ClassifierBenchmark}, module
     * README). The router's logistic head got 17 of the 19 test long prompts right with 96-token pieces
     * and 16 with 256; the centroid baseline dropped from 15 to 12. No training example is longer than
     * twice this, so the choice does not change training. Texts up to twice this are embedded whole.
     */
    public static final int DEFAULT_CHUNK_TOKENS = 96;

    private static final EmbeddingClassifierConfig DEFAULTS = builder().build();

    private final double temperature;
    private final PrototypeStrategy prototype;
    private final int nearestNeighbours;
    private final double previousTurnWeight;
    private final int maxPreviousTurns;
    private final int chunkTokens;

    private EmbeddingClassifierConfig(Builder builder) {
        this.temperature = builder.temperature;
        this.prototype = builder.prototype;
        this.nearestNeighbours = builder.nearestNeighbours;
        this.previousTurnWeight = builder.previousTurnWeight;
        this.maxPreviousTurns = builder.maxPreviousTurns;
        this.chunkTokens = builder.chunkTokens;
    }

    /** The measured defaults. */
    public static EmbeddingClassifierConfig ofDefaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        return new Builder()
                .temperature(temperature)
                .prototype(prototype)
                .nearestNeighbours(nearestNeighbours)
                .previousTurnWeight(previousTurnWeight)
                .maxPreviousTurns(maxPreviousTurns)
                .chunkTokens(chunkTokens);
    }

    /** Softmax temperature over cosine similarities; lower makes the distribution sharper. */
    public double temperature() {
        return temperature;
    }

    /** How a prompt is scored against a category's examples. */
    public PrototypeStrategy prototype() {
        return prototype;
    }

    /** Neighbours averaged per category when {@link #prototype()} is {@link PrototypeStrategy#NEAREST_MEAN}. */
    public int nearestNeighbours() {
        return nearestNeighbours;
    }

    /** Weight factor of each earlier user turn relative to the next one (0 ignores earlier turns). */
    public double previousTurnWeight() {
        return previousTurnWeight;
    }

    /** How many user turns before the latest are mixed in. */
    public int maxPreviousTurns() {
        return maxPreviousTurns;
    }

    /** Estimated tokens of head and of tail embedded for a text estimated longer than twice this. */
    public int chunkTokens() {
        return chunkTokens;
    }

    @Override
    public String toString() {
        return "EmbeddingClassifierConfig[temperature=" + temperature + ", prototype=" + prototype
                + ", nearestNeighbours=" + nearestNeighbours + ", previousTurnWeight=" + previousTurnWeight
                + ", maxPreviousTurns=" + maxPreviousTurns + ", chunkTokens=" + chunkTokens + "]";
    }

    /** Validating builder; each setter rejects a bad value at once, naming it. Not thread-safe. */
    public static final class Builder {

        private double temperature = DEFAULT_TEMPERATURE;
        private PrototypeStrategy prototype = DEFAULT_PROTOTYPE;
        private int nearestNeighbours = DEFAULT_NEAREST_NEIGHBOURS;
        private double previousTurnWeight = DEFAULT_PREVIOUS_TURN_WEIGHT;
        private int maxPreviousTurns = DEFAULT_MAX_PREVIOUS_TURNS;
        private int chunkTokens = DEFAULT_CHUNK_TOKENS;

        private Builder() {
        }

        /** @throws IllegalArgumentException unless {@code 0 < temperature <= 10} */
        public Builder temperature(double temperature) {
            if (!(temperature > 0 && temperature <= 10)) {
                throw new IllegalArgumentException(
                        "temperature must be greater than 0 and at most 10, but was " + temperature);
            }
            this.temperature = temperature;
            return this;
        }

        public Builder prototype(PrototypeStrategy prototype) {
            this.prototype = Objects.requireNonNull(prototype, "prototype");
            return this;
        }

        /** @throws IllegalArgumentException unless {@code nearestNeighbours >= 1} */
        public Builder nearestNeighbours(int nearestNeighbours) {
            if (nearestNeighbours < 1) {
                throw new IllegalArgumentException(
                        "nearestNeighbours must be at least 1, but was " + nearestNeighbours);
            }
            this.nearestNeighbours = nearestNeighbours;
            return this;
        }

        /** @throws IllegalArgumentException unless {@code 0 <= previousTurnWeight <= 1} */
        public Builder previousTurnWeight(double previousTurnWeight) {
            if (!(previousTurnWeight >= 0 && previousTurnWeight <= 1)) {
                throw new IllegalArgumentException(
                        "previousTurnWeight must be between 0 and 1, but was " + previousTurnWeight);
            }
            this.previousTurnWeight = previousTurnWeight;
            return this;
        }

        /** @throws IllegalArgumentException unless {@code 0 <= maxPreviousTurns <= 16} */
        public Builder maxPreviousTurns(int maxPreviousTurns) {
            if (maxPreviousTurns < 0 || maxPreviousTurns > 16) {
                throw new IllegalArgumentException(
                        "maxPreviousTurns must be between 0 and 16, but was " + maxPreviousTurns);
            }
            this.maxPreviousTurns = maxPreviousTurns;
            return this;
        }

        /** @throws IllegalArgumentException unless {@code 50 <= chunkTokens <= 4000} */
        public Builder chunkTokens(int chunkTokens) {
            if (chunkTokens < 50 || chunkTokens > 4_000) {
                throw new IllegalArgumentException("chunkTokens must be between 50 and 4000, but was " + chunkTokens);
            }
            this.chunkTokens = chunkTokens;
            return this;
        }

        public EmbeddingClassifierConfig build() {
            return new EmbeddingClassifierConfig(this);
        }
    }
}
