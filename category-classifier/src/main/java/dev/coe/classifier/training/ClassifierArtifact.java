package dev.coe.classifier.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.coe.classifier.ClassifierConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trained classifier head as saved by {@code ClassifierCli train} (JSON, about 40 KB for eight
 * categories): what it was trained for (taxonomy, embedding model, training data hash), its weights
 * and its temperature. Immutable; the arrays are not copied, so callers must not change them.
 *
 * @param formatVersion    {@value #FORMAT_VERSION}; a reader refuses other versions
 * @param classifier       the classifier's {@code name()}, e.g. {@code embedding-logistic}
 * @param taxonomy         category ids in taxonomy order, the order of the weight rows
 * @param embeddingModel   id of the embedding model whose vectors the weights apply to
 * @param weights          {@code [categories][features]}
 * @param bias             {@code [categories]}
 * @param temperature      logits are divided by it before the softmax (temperature scaling)
 * @param l2               regularisation strength it was trained with
 * @param trainingDataHash {@link TrainingData#contentHash()} of the examples it was trained on
 * @param examples         number of training examples
 * @param createdAt        ISO-8601 instant of training
 * @param metrics          cross-validated figures measured while training (accuracy, ECE, ...)
 */
public record ClassifierArtifact(int formatVersion, String classifier, List<String> taxonomy, String embeddingModel,
                                 float[][] weights, float[] bias, double temperature, double l2,
                                 String trainingDataHash, int examples, String createdAt,
                                 Map<String, Double> metrics) {

    /**
     * Current file format; bump it when a field changes meaning. Version 2: the weights apply to the
     * conversation's embedding followed by its instruction sentence's (twice the model's dimension).
     */
    public static final int FORMAT_VERSION = 2;

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ClassifierArtifact {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(embeddingModel, "embeddingModel");
        Objects.requireNonNull(trainingDataHash, "trainingDataHash");
        taxonomy = List.copyOf(taxonomy);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    /** Short identification for logs and {@code /actuator/info}: name, format, data hash prefix. */
    public String version() {
        return classifier + "/v" + formatVersion + "+" + trainingDataHash.substring(0, Math.min(trainingDataHash.length(), 19));
    }

    /**
     * Reads and checks an artifact file.
     *
     * @throws ClassifierConfigException if the file is missing, not valid JSON, of another format
     *                                   version, or its weights do not fit its taxonomy
     */
    public static ClassifierArtifact read(Path file) {
        ClassifierArtifact artifact = readJson(file, json -> JSON.readValue(json, ClassifierArtifact.class));
        if (artifact.formatVersion() != FORMAT_VERSION) {
            throw new ClassifierConfigException(file, 0, "formatVersion must be " + FORMAT_VERSION + ", but was "
                    + artifact.formatVersion() + "; retrain it with 'ClassifierCli train'");
        }
        if (artifact.weights() == null || artifact.bias() == null || artifact.weights().length != artifact.taxonomy().size()
                || artifact.bias().length != artifact.taxonomy().size()) {
            throw new ClassifierConfigException(file, 0, "weights and bias must have one row per taxonomy category ("
                    + artifact.taxonomy().size() + ")");
        }
        return artifact;
    }

    /**
     * The {@code formatVersion} of a model file, read without checking the rest, so that a caller
     * can tell an out-of-date file from a broken one.
     *
     * @throws ClassifierConfigException if the file is missing or not a JSON object with a numeric
     *                                   {@code formatVersion}
     */
    public static int formatVersionOf(Path file) {
        JsonNode version = readJson(file, JSON::readTree).path("formatVersion");
        if (!version.isInt()) {
            throw new ClassifierConfigException(file, 0, "not a valid model file: no numeric formatVersion");
        }
        return version.intValue();
    }

    /** Parses a JSON file, turning every way that can fail into a {@link ClassifierConfigException} naming the file. */
    private static <T> T readJson(Path file, JsonParser<T> parser) {
        try {
            return parser.parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ClassifierConfigException(file, 0, "model file not found", e);
        } catch (JsonProcessingException e) {
            throw new ClassifierConfigException(file, 0, "not a valid model file: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ClassifierConfigException(file, 0, "cannot read model file: " + e, e);
        }
    }

    private interface JsonParser<T> {
        T parse(String json) throws IOException;
    }

    /** Writes the artifact as one-line JSON, creating parent directories. */
    public void write(Path file) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, JSON.writeValueAsString(this) + "\n");
    }

    /** The weights as a {@link SoftmaxRegression.Model}. */
    public SoftmaxRegression.Model model() {
        double[][] w = new double[weights.length][];
        for (int k = 0; k < weights.length; k++) {
            w[k] = new double[weights[k].length];
            for (int j = 0; j < w[k].length; j++) {
                w[k][j] = weights[k][j];
            }
        }
        double[] b = new double[bias.length];
        for (int k = 0; k < b.length; k++) {
            b[k] = bias[k];
        }
        return new SoftmaxRegression.Model(w, b);
    }

    /** Float copies of a model's weights (the file keeps float precision, which is plenty). */
    public static float[][] toFloats(double[][] weights) {
        float[][] out = new float[weights.length][];
        for (int k = 0; k < weights.length; k++) {
            out[k] = toFloats(weights[k]);
        }
        return out;
    }

    public static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
