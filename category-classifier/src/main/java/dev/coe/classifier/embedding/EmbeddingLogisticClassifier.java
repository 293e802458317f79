package dev.coe.classifier.embedding;

import dev.coe.classifier.Category;
import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.Classification;
import dev.coe.classifier.ClassifierConfigException;
import dev.coe.classifier.Scripts;
import dev.coe.classifier.Taxonomy;
import dev.coe.classifier.Turn;
import dev.coe.classifier.training.CalibratedTraining;
import dev.coe.classifier.training.ClassifierArtifact;
import dev.coe.classifier.training.LabelledExample;
import dev.coe.classifier.training.SoftmaxRegression;
import dev.coe.classifier.training.TrainingData;
import dev.langchain4j.model.embedding.EmbeddingModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Classifies a conversation with a trained head on its sentence embeddings: multinomial logistic
 * regression ({@link SoftmaxRegression}) over two bge-small-en-v1.5 vectors, the conversation's and
 * its latest instruction sentence's (the topic of a prompt is not its task: "act as a pharmacist"
 * is a role, whatever follows), with a temperature
 * fitted on cross-validated predictions, so that the confidence is calibrated (the router compares
 * it with per-category thresholds). The conversation is embedded as by
 * {@link EmbeddingCentroidClassifier} (latest user turn plus weighted earlier turns; long texts by
 * head, tail and edge paragraphs).
 * <p>
 * The trained head can be saved as a {@link ClassifierArtifact} and loaded without the examples
 * ({@link #load}); {@link #fromConfig(Path)} uses {@value #MODEL_FILE} when it is up to date with the
 * examples and trains from them otherwise. Thread-safe, provided the {@link EmbeddingModel} is.
 * <p>
 * {@link #classify} throws {@link IllegalArgumentException} when the conversation has no text. The
 * factories throw {@link ClassifierConfigException} for bad config or model files.
 */
public final class EmbeddingLogisticClassifier implements CategoryClassifier {

    /** Value of {@link #name()}. */
    public static final String NAME = "embedding-logistic";

    /** Trained model file inside the config directory, used by {@link #fromConfig(Path)} when up to date. */
    public static final String MODEL_FILE = "classifier/model.json";

    /** Id of the bundled embedding model, recorded in model files. */
    public static final String DEFAULT_EMBEDDING_MODEL_ID = "bge-small-en-v1.5-q";

    /**
     * L2 strength on standardised features. Chosen by 5-fold cross-validation on the training
     * examples (log-loss and accuracy; see the module README), not on any evaluation set.
     */
    public static final double DEFAULT_L2 = 0.1;

    private static final Logger log = LoggerFactory.getLogger(EmbeddingLogisticClassifier.class);

    private final ConversationEmbedder embedder;
    private final Taxonomy taxonomy;
    private final SoftmaxRegression.Model head;
    private final ClassifierArtifact artifact;

    private EmbeddingLogisticClassifier(ConversationEmbedder embedder, Taxonomy taxonomy, ClassifierArtifact artifact) {
        this.embedder = embedder;
        this.taxonomy = taxonomy;
        this.artifact = artifact;
        this.head = artifact.model();
    }

    /**
     * The router's factory: loads {@value #MODEL_FILE} from {@code configDir} if it was trained on
     * exactly the current {@code categories.yaml} ids and {@code classifier/examples.jsonl}, and
     * trains from the examples otherwise (a few seconds, most of it embedding), logging why.
     *
     * @throws ClassifierConfigException if a config file is missing or invalid
     * @throws IllegalArgumentException  if a category has no example
     */
    public static EmbeddingLogisticClassifier fromConfig(Path configDir) {
        return fromConfig(configDir, EmbeddingCentroidClassifier.defaultEmbeddingModel(), DEFAULT_EMBEDDING_MODEL_ID);
    }

    /** Like {@link #fromConfig(Path)}, with another embedding model and its id. */
    public static EmbeddingLogisticClassifier fromConfig(Path configDir, EmbeddingModel model, String embeddingModelId) {
        return fromConfig(configDir, model, embeddingModelId, EmbeddingClassifierConfig.ofDefaults());
    }

    /**
     * Like {@link #fromConfig(Path)}, with another embedding model and its id, and other embedding
     * tuning (turn weights, long-text pieces). The tuning is not recorded in the model file: a head
     * trained with the default tuning is used as it is.
     */
    public static EmbeddingLogisticClassifier fromConfig(Path configDir, EmbeddingModel model, String embeddingModelId,
                                                         EmbeddingClassifierConfig config) {
        Taxonomy taxonomy = Taxonomy.load(configDir.resolve(EmbeddingCentroidClassifier.CATEGORIES_FILE));
        TrainingData data = TrainingData.load(configDir.resolve(EmbeddingCentroidClassifier.EXAMPLES_FILE), taxonomy);
        Path file = configDir.resolve(MODEL_FILE);
        Optional<ClassifierArtifact> upToDate = upToDateArtifact(file, data, embeddingModelId);
        if (upToDate.isPresent()) {
            return fromArtifact(file, upToDate.get(), taxonomy, model, embeddingModelId, config);
        }
        return train(model, embeddingModelId, data, DEFAULT_L2, config);
    }

    /**
     * Trains on the examples: embeds them, fits the temperature on 5-fold out-of-fold predictions,
     * then fits the head on all examples.
     *
     * @throws IllegalArgumentException if a category has no example
     */
    public static EmbeddingLogisticClassifier train(EmbeddingModel model, String embeddingModelId,
                                                    TrainingData data, double l2) {
        return train(model, embeddingModelId, data, l2, EmbeddingClassifierConfig.ofDefaults());
    }

    /** Like {@link #train(EmbeddingModel, String, TrainingData, double)}, with other embedding tuning. */
    public static EmbeddingLogisticClassifier train(EmbeddingModel model, String embeddingModelId,
                                                    TrainingData data, double l2, EmbeddingClassifierConfig config) {
        long start = System.nanoTime();
        Taxonomy taxonomy = data.taxonomy();
        requireEveryCategoryHasExamples(data);
        ConversationEmbedder embedder = new ConversationEmbedder(model, config);
        float[][] x = embedder.embedTextsWithInstruction(data.examples().stream().map(LabelledExample::text).toList());
        long embedded = System.nanoTime();
        int[] y = data.examples().stream().mapToInt(e -> taxonomy.ids().indexOf(e.category())).toArray();
        CalibratedTraining.Result result = CalibratedTraining.train(x, y, taxonomy.size(), l2,
                CalibratedTraining.DEFAULT_FOLDS);
        ClassifierArtifact artifact = new ClassifierArtifact(ClassifierArtifact.FORMAT_VERSION, NAME, taxonomy.ids(),
                embeddingModelId, ClassifierArtifact.toFloats(result.model().weights()),
                ClassifierArtifact.toFloats(result.model().bias()), result.temperature(), l2, data.contentHash(),
                data.size(), Instant.now().toString(), result.outOfFold().asMap());
        log.info("Trained {} on {} examples: embedding {} ms, fitting {} ms; temperature {}, cross-validated {}",
                NAME, data.size(), (embedded - start) / 1_000_000, (System.nanoTime() - embedded) / 1_000_000,
                String.format("%.3f", result.temperature()), result.outOfFold());
        return new EmbeddingLogisticClassifier(embedder, taxonomy, artifact);
    }

    /**
     * Loads a trained model file, checking that it fits the taxonomy and the embedding model.
     *
     * @throws ClassifierConfigException if the file is missing or invalid, or was trained for other
     *                                   categories or another embedding model
     */
    public static EmbeddingLogisticClassifier load(Path file, Taxonomy taxonomy, EmbeddingModel model,
                                                   String embeddingModelId) {
        return load(file, taxonomy, model, embeddingModelId, EmbeddingClassifierConfig.ofDefaults());
    }

    /** Like {@link #load(Path, Taxonomy, EmbeddingModel, String)}, with other embedding tuning. */
    public static EmbeddingLogisticClassifier load(Path file, Taxonomy taxonomy, EmbeddingModel model,
                                                   String embeddingModelId, EmbeddingClassifierConfig config) {
        return fromArtifact(file, ClassifierArtifact.read(file), taxonomy, model, embeddingModelId, config);
    }

    /**
     * The model file's artifact if it is of the current format and was trained on exactly these
     * examples with this embedding model; otherwise empty, with a warning that says why. An older
     * format is out of date like a stale file: the router trains and keeps starting.
     */
    private static Optional<ClassifierArtifact> upToDateArtifact(Path file, TrainingData data, String embeddingModelId) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        int format = ClassifierArtifact.formatVersionOf(file);
        if (format != ClassifierArtifact.FORMAT_VERSION) {
            log.warn("{} is of format {}, not {}; training from the examples instead. Run 'ClassifierCli train' to"
                    + " refresh it.", file, format, ClassifierArtifact.FORMAT_VERSION);
            return Optional.empty();
        }
        ClassifierArtifact artifact = ClassifierArtifact.read(file);
        String hash = data.contentHash();
        if (artifact.trainingDataHash().equals(hash) && artifact.embeddingModel().equals(embeddingModelId)) {
            return Optional.of(artifact);
        }
        log.warn("{} is out of date (trained on {} with {}, config has {} with {}); training from the examples"
                        + " instead. Run 'ClassifierCli train' to refresh it.", file, artifact.trainingDataHash(),
                artifact.embeddingModel(), hash, embeddingModelId);
        return Optional.empty();
    }

    /** Checks that a read artifact fits the taxonomy and the embedding model; {@code file} names it in errors. */
    private static EmbeddingLogisticClassifier fromArtifact(Path file, ClassifierArtifact artifact, Taxonomy taxonomy,
                                                            EmbeddingModel model, String embeddingModelId,
                                                            EmbeddingClassifierConfig config) {
        if (!artifact.taxonomy().equals(taxonomy.ids())) {
            throw new ClassifierConfigException(file, 0, "model was trained for categories " + artifact.taxonomy()
                    + ", but the taxonomy has " + taxonomy.ids() + "; retrain it with 'ClassifierCli train'");
        }
        if (!artifact.embeddingModel().equals(embeddingModelId)) {
            throw new ClassifierConfigException(file, 0, "model was trained on embeddings of '" + artifact.embeddingModel()
                    + "', but the embedding model is '" + embeddingModelId + "'; retrain it with 'ClassifierCli train'");
        }
        if (!artifact.classifier().equals(NAME)) {
            throw new ClassifierConfigException(file, 0, "model file is for classifier '" + artifact.classifier()
                    + "', not '" + NAME + "'");
        }
        int features = 2 * model.dimension();
        if (artifact.weights()[0].length != features) {
            throw new ClassifierConfigException(file, 0, "model has " + artifact.weights()[0].length
                    + " weights per category, but '" + embeddingModelId + "' needs " + features
                    + " (conversation and instruction embeddings); retrain it with 'ClassifierCli train'");
        }
        log.info("Loaded {} from {} ({} examples, trained {})", artifact.version(), file, artifact.examples(),
                artifact.createdAt());
        return new EmbeddingLogisticClassifier(
                new ConversationEmbedder(model, config), taxonomy, artifact);
    }

    @Override
    public Classification classify(List<Turn> conversation) {
        double[] probabilities = SoftmaxRegression.softmax(head.logits(embedder.embedWithInstruction(conversation)),
                artifact.temperature());
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

    /** Name, format version and the hash of the training data, e.g. {@code embedding-logistic/v2+sha256:3f2a...}. */
    @Override
    public String version() {
        return artifact.version();
    }

    /** The trained head with its provenance; {@link ClassifierArtifact#write} saves it. */
    public ClassifierArtifact artifact() {
        return artifact;
    }

    /** The taxonomy this classifier answers in. */
    public Taxonomy taxonomy() {
        return taxonomy;
    }

    private static void requireEveryCategoryHasExamples(TrainingData data) {
        List<String> empty = data.countsByCategory().entrySet().stream()
                .filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException("every category needs at least one training example, but "
                    + empty + " have none");
        }
        Objects.requireNonNull(data.taxonomy(), "taxonomy");
    }
}
