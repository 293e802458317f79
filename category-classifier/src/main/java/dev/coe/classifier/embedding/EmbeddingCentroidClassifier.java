package dev.coe.classifier.embedding;

import dev.coe.classifier.Category;
import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.Classification;
import dev.coe.classifier.ClassifierConfigException;
import dev.coe.classifier.Scripts;
import dev.coe.classifier.Taxonomy;
import dev.coe.classifier.Turn;
import dev.coe.classifier.training.LabelledExample;
import dev.coe.classifier.training.SoftmaxRegression;
import dev.coe.classifier.training.TrainingData;
import dev.langchain4j.model.embedding.EmbeddingModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Classifies a conversation by embedding it and comparing it with embedded labelled examples: the
 * cosine similarity to each category's prototype ({@link PrototypeStrategy}) goes through a softmax
 * with a temperature ({@link EmbeddingClassifierConfig#temperature()}) to give a distribution over
 * all categories. All examples are embedded once, at construction; a classification embeds only
 * the conversation (see {@code ConversationFocus} for which turns count and {@code TextWindow} for
 * long texts).
 * <p>
 * By default it uses bge-small-en-v1.5 (quantised ONNX), which runs in process from the jar: no
 * network, no GPU. Thread-safe, provided the {@link EmbeddingModel} is (the in-process ONNX models
 * are).
 * <p>
 * {@link #classify} throws {@link IllegalArgumentException} when the conversation has no text.
 * The factories throw {@link ClassifierConfigException} for bad config files and
 * {@link IllegalArgumentException} when a category has no example.
 */
public final class EmbeddingCentroidClassifier implements CategoryClassifier {

    /** Value of {@link #name()}. */
    public static final String NAME = "embedding-centroid";

    /** Taxonomy file inside the config directory. */
    public static final String CATEGORIES_FILE = "categories.yaml";

    /** Training examples file inside the config directory. */
    public static final String EXAMPLES_FILE = "classifier/examples.jsonl";

    private static final Logger log = LoggerFactory.getLogger(EmbeddingCentroidClassifier.class);

    private final ConversationEmbedder embedder;
    private final Taxonomy taxonomy;
    private final EmbeddingClassifierConfig config;
    private final float[][] exampleVectors;
    private final int[] exampleCategory;
    private final float[][] centroids;
    private final int[] examplesPerCategory;

    private EmbeddingCentroidClassifier(EmbeddingModel model, TrainingData data, EmbeddingClassifierConfig config) {
        this.embedder = new ConversationEmbedder(model, config);
        this.taxonomy = data.taxonomy();
        this.config = config;
        requireEveryCategoryHasExamples(data);
        List<LabelledExample> examples = data.examples();
        this.exampleVectors = embedder.embedTexts(examples.stream().map(LabelledExample::text).toList());
        this.exampleCategory = examples.stream().mapToInt(e -> taxonomy.ids().indexOf(e.category())).toArray();
        this.examplesPerCategory = new int[taxonomy.size()];
        for (int category : exampleCategory) {
            examplesPerCategory[category]++;
        }
        this.centroids = IntStream.range(0, taxonomy.size()).mapToObj(this::centroid).toArray(float[][]::new);
    }

    /**
     * Reads {@value #CATEGORIES_FILE} and {@value #EXAMPLES_FILE} from {@code configDir} and embeds
     * the examples with the bundled bge-small-en-v1.5 model, with the default tuning. Takes a few
     * seconds (model load plus one embedding per example); call it once at startup.
     *
     * @throws ClassifierConfigException if a config file is missing or invalid
     * @throws IllegalArgumentException  if a category has no example
     */
    public static EmbeddingCentroidClassifier fromConfig(Path configDir) {
        return fromConfig(configDir, defaultEmbeddingModel(), EmbeddingClassifierConfig.ofDefaults());
    }

    /**
     * Like {@link #fromConfig(Path)}, with another embedding model and tuning.
     *
     * @throws ClassifierConfigException if a config file is missing or invalid
     * @throws IllegalArgumentException  if a category has no example
     */
    public static EmbeddingCentroidClassifier fromConfig(Path configDir, EmbeddingModel model,
                                                         EmbeddingClassifierConfig config) {
        Taxonomy taxonomy = Taxonomy.load(configDir.resolve(CATEGORIES_FILE));
        return of(model, TrainingData.load(configDir.resolve(EXAMPLES_FILE), taxonomy), config);
    }

    /**
     * Builds a classifier from examples already loaded, with the default tuning.
     *
     * @throws IllegalArgumentException if a category of the taxonomy has no example
     */
    public static EmbeddingCentroidClassifier of(EmbeddingModel model, TrainingData data) {
        return of(model, data, EmbeddingClassifierConfig.ofDefaults());
    }

    /**
     * Builds a classifier from examples already loaded.
     *
     * @throws IllegalArgumentException if a category of the taxonomy has no example
     */
    public static EmbeddingCentroidClassifier of(EmbeddingModel model, TrainingData data,
                                                 EmbeddingClassifierConfig config) {
        long start = System.nanoTime();
        EmbeddingCentroidClassifier classifier = new EmbeddingCentroidClassifier(model, data, config);
        log.info("Embedded {} classifier examples in {} ms ({})", data.size(),
                (System.nanoTime() - start) / 1_000_000, config);
        return classifier;
    }

    /**
     * The bundled bge-small-en-v1.5 quantised model, shared by all callers: an
     * {@link OnnxSentenceEmbeddingModel} with one ONNX Runtime thread per forward pass, embedding a
     * text on the caller's thread and the pieces of a long one with the help of the other cores.
     */
    public static EmbeddingModel defaultEmbeddingModel() {
        return DefaultModel.INSTANCE;
    }

    /**
     * The bundled bge-small-en-v1.5 quantised model with {@code intraOpThreads} ONNX Runtime threads per
     * forward pass: the shared {@link #defaultEmbeddingModel()} for the default of one, else a model of its
     * own (a second ONNX Runtime session), which the caller keeps. On two cores one thread is best: a
     * prompt of several sentences is two passes at once already; more threads are for machines with
     * more cores than passes in flight (module README, "Threads per forward pass").
     *
     * @throws IllegalArgumentException unless {@code 1 <= intraOpThreads <= 64}
     */
    public static EmbeddingModel defaultEmbeddingModel(int intraOpThreads) {
        return intraOpThreads == OnnxSentenceEmbeddingModel.DEFAULT_INTRA_OP_THREADS
                ? DefaultModel.INSTANCE
                : OnnxSentenceEmbeddingModel.of(OnnxSentenceEmbeddingModel.Bundled.BGE_SMALL_EN_V15_Q, intraOpThreads);
    }

    @Override
    public Classification classify(List<Turn> conversation) {
        double[] probabilities = SoftmaxRegression.softmax(similarities(conversation), config.temperature());
        return Classification.of(taxonomy.ids(), probabilities).withForeignScript(Scripts.mostlyForeign(conversation));
    }

    @Override
    public List<Category> categories() {
        return taxonomy.categories();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The taxonomy this classifier answers in. */
    public Taxonomy taxonomy() {
        return taxonomy;
    }

    /** The tuning this classifier was built with. */
    public EmbeddingClassifierConfig config() {
        return config;
    }

    /** Cosine similarity of the conversation to each category's prototype, in taxonomy order. */
    double[] similarities(List<Turn> conversation) {
        return similarities(embedder.embed(conversation));
    }

    /** Cosine similarity of a unit query vector to each category's prototype, in taxonomy order. */
    double[] similarities(float[] query) {
        return switch (config.prototype()) {
            case CENTROID -> Arrays.stream(centroids).mapToDouble(c -> Vectors.dot(query, c)).toArray();
            case NEAREST_MEAN -> nearestMeans(query);
        };
    }

    private double[] nearestMeans(float[] query) {
        int k = config.nearestNeighbours();
        double[][] similaritiesByCategory = new double[taxonomy.size()][];
        int[] filled = new int[taxonomy.size()];
        for (int c = 0; c < taxonomy.size(); c++) {
            similaritiesByCategory[c] = new double[examplesPerCategory[c]];
        }
        for (int e = 0; e < exampleVectors.length; e++) {
            int c = exampleCategory[e];
            similaritiesByCategory[c][filled[c]++] = Vectors.dot(query, exampleVectors[e]);
        }
        double[] means = new double[taxonomy.size()];
        for (int c = 0; c < taxonomy.size(); c++) {
            double[] sorted = similaritiesByCategory[c];
            Arrays.sort(sorted);
            int take = Math.min(k, sorted.length);
            means[c] = Arrays.stream(sorted, sorted.length - take, sorted.length).average().orElseThrow();
        }
        return means;
    }

    private float[] centroid(int category) {
        List<float[]> members = new ArrayList<>();
        for (int e = 0; e < exampleVectors.length; e++) {
            if (exampleCategory[e] == category) {
                members.add(exampleVectors[e]);
            }
        }
        double[] equal = new double[members.size()];
        Arrays.fill(equal, 1.0);
        return Vectors.weightedUnitSum(members, equal);
    }

    private static void requireEveryCategoryHasExamples(TrainingData data) {
        List<String> empty = data.countsByCategory().entrySet().stream()
                .filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException("every category needs at least one training example, but "
                    + empty + " have none");
        }
    }

    /** Holder idiom: the model (about 34 MB of ONNX) loads on first use, once. */
    private static final class DefaultModel {
        static final EmbeddingModel INSTANCE =
                OnnxSentenceEmbeddingModel.of(OnnxSentenceEmbeddingModel.Bundled.BGE_SMALL_EN_V15_Q);
    }
}
