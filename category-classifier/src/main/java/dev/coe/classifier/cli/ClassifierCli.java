package dev.coe.classifier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.Classification;
import dev.coe.classifier.ClassifierConfigException;
import dev.coe.classifier.Taxonomy;
import dev.coe.classifier.Turn;
import dev.coe.classifier.embedding.CrossValidation;
import dev.coe.classifier.embedding.EmbeddingCentroidClassifier;
import dev.coe.classifier.embedding.EmbeddingClassifierConfig;
import dev.coe.classifier.embedding.EmbeddingLogisticClassifier;
import dev.coe.classifier.embedding.OnnxSentenceEmbeddingModel;
import dev.coe.classifier.evaluation.EvaluationReport;
import dev.coe.classifier.training.BadLineException;
import dev.coe.classifier.training.CalibratedTraining;
import dev.coe.classifier.training.JsonLines;
import dev.coe.classifier.training.TrainingData;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Command line of the category classifier: {@code train}, {@code classify}, {@code evaluate} and
 * {@code cross-validate}. Run {@code ClassifierCli help} for the options. Exit status 0 on success,
 * 2 for bad usage or input, 1 for other errors.
 */
public final class ClassifierCli {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USAGE = """
            usage: ClassifierCli <command> [options]
              train    --data <examples.jsonl> --out <model.json> [--l2 <x>]
                       train the logistic head on labelled examples {"text"|"prompt", "category"} and save it
              classify [--in <file>] [--model <model.json>] [--classifier logistic|centroid]
                       one JSON result per input line; lines are {"prompt": ...}, FastChat questions
                       {"question_id", "turns": [...]} (all turns, as user turns) or {"messages": [{"role","content"}]};
                       a line that cannot be classified gets {"line", "error"} in its place, and exit status 2
              evaluate --data <file> [--labels <csv>] [--threshold 0.30] [--model <model.json>]
                       [--classifier logistic|centroid]
                       labelled lines {"prompt"|"text", "category"}, FastChat question.jsonl (turn 1), or
                       MMLU-Pro questions.jsonl.gz (evaluation split, subjects mapped to categories); with
                       --labels, categories come from a question_id,category[,alternative] file instead;
                       prints the report (uncertain = confidence below --threshold, or a prompt in a
                       foreign script), and as its last line a JSON summary
              cross-validate [--data <examples.jsonl>] [--folds 5] [--embedding <model id>] [--chunk-tokens <n>]
                       [--lexical true]
                       compares the centroid and logistic heads on the training examples; with --lexical,
                       also a hashed n-gram first stage answering alone above confidence thresholds
                       (embedding models: bge-small-en-v1.5-q, all-minilm-l6-v2-q if its jar is on the class path)
            common: --config <dir>  config directory with categories.yaml (default: ./config, else ../config).
                    --onnx-threads <n>  ONNX Runtime threads per forward pass (default 1, best on two cores;
                    see the module README, "Threads per forward pass").
                    Without --model, config/classifier/model.json is used when up to date, else the head is
                    trained from config/classifier/examples.jsonl.
            """;

    private final PrintStream out;
    private final PrintStream err;

    ClassifierCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int status = new ClassifierCli(System.out, System.err).run(args);
        System.out.flush();
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs one command and returns the exit status. */
    int run(String[] args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            Map<String, String> options = options(args);
            return switch (args[0]) {
                case "train" -> train(options);
                case "classify" -> classify(options);
                case "evaluate" -> evaluate(options);
                case "cross-validate" -> crossValidate(options);
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            };
        } catch (UsageException | ClassifierConfigException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            if (e instanceof UsageException) {
                err.print(USAGE);
            }
            return 2;
        } catch (NoSuchFileException e) {
            err.println("error: file not found: " + e.getFile());
            return 2;
        } catch (IOException e) {
            err.println("error: " + e);
            return 1;
        }
    }

    private int train(Map<String, String> options) throws IOException {
        Taxonomy taxonomy = taxonomy(options);
        TrainingData data = TrainingData.load(Path.of(required(options, "data")), taxonomy);
        Path outFile = Path.of(required(options, "out"));
        double l2 = Double.parseDouble(options.getOrDefault("l2", String.valueOf(EmbeddingLogisticClassifier.DEFAULT_L2)));
        long start = System.nanoTime();
        EmbeddingLogisticClassifier classifier = EmbeddingLogisticClassifier.train(embeddingModel(options),
                EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID, data, l2);
        long trained = System.nanoTime();
        classifier.artifact().write(outFile);
        out.printf("trained %s on %d examples in %d ms (model load, embedding, 5-fold calibration, final fit)%n",
                classifier.version(), data.size(), (trained - start) / 1_000_000);
        out.printf("temperature %.4f; cross-validated %s%n", classifier.artifact().temperature(),
                classifier.artifact().metrics());
        out.printf("wrote %s (%d bytes)%n", outFile, Files.size(outFile));
        return 0;
    }

    /**
     * One result per non-blank input line, in order. A line that cannot be classified gets, in its place, an object
     * with its {@code line} number and an {@code error}, and the lines after it are still classified; the exit status
     * is then 2.
     */
    private int classify(Map<String, String> options) throws IOException {
        CategoryClassifier classifier = classifier(options);
        String source = options.getOrDefault("in", "stdin");
        int lines = 0;
        int failed = 0;
        try (BufferedReader reader = input(options)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                lines++;
                ObjectNode json = JSON.createObjectNode();
                try {
                    JsonNode node = JsonLines.parse(line, source, number);
                    copyIds(node, json);
                    List<Turn> conversation = BadLineException.locate(source, number,
                            () -> InputLine.conversation(node, false));
                    long start = System.nanoTime();
                    Classification result = BadLineException.locate(source, number,
                            () -> classifier.classify(conversation));
                    long nanos = System.nanoTime() - start;
                    json.put("category", result.category());
                    json.put("confidence", result.confidence());
                    json.set("distribution", JSON.valueToTree(result.distribution()));
                    if (result.foreignScript()) {
                        json.put("foreign_script", true);
                    }
                    json.put("latency_ms", nanos / 1e6);
                } catch (BadLineException e) {
                    failed++;
                    json.put("line", number);
                    json.putObject("error").put("message", e.problem());
                    err.println("error: " + e.getMessage());
                }
                out.println(JSON.writeValueAsString(json));
            }
        }
        if (failed > 0) {
            err.printf("error: %d of %d input lines could not be classified; each has an \"error\" in its place%n",
                    failed, lines);
            return 2;
        }
        return 0;
    }

    /** {@code question_id} and {@code id}, so that results can be joined to their input. */
    private static void copyIds(JsonNode node, ObjectNode json) {
        if (node.isObject()) {
            for (String id : List.of("question_id", "id")) {
                if (node.has(id)) {
                    json.set(id, node.get(id));
                }
            }
        }
    }

    private int evaluate(Map<String, String> options) throws IOException {
        CategoryClassifier classifier = classifier(options);
        List<String> ids = classifier.categories().stream().map(c -> c.id()).toList();
        double threshold = Double.parseDouble(options.getOrDefault("threshold",
                String.valueOf(EvaluationReport.DEFAULT_UNCERTAIN_THRESHOLD)));
        EvaluationInput input = EvaluationInput.read(Path.of(required(options, "data")),
                Optional.ofNullable(options.get("labels")).map(Path::of), ids);
        List<EvaluationInput.Item> items = input.items();
        for (int i = 0; i < Math.min(5, items.size()); i++) { // warm up the code paths before timing
            EvaluationInput.Item item = items.get(i);
            BadLineException.locate(item.source(), item.line(), () -> classifier.classify(item.conversation()));
        }
        EvaluationReport report = new EvaluationReport(ids, threshold);
        for (EvaluationInput.Item item : items) {
            long start = System.nanoTime();
            Classification result = BadLineException.locate(item.source(), item.line(),
                    () -> classifier.classify(item.conversation()));
            long nanos = System.nanoTime() - start;
            if (item.expected().isPresent()) {
                report.add(item.expected().get(), item.alsoAccepted(), result, nanos);
            } else {
                report.addUnlabelled(result);
            }
        }
        out.println("classifier " + classifier.version());
        if (!input.skipped().isEmpty()) {
            out.println(input.skipped());
        }
        out.print(report.text());
        out.println(report.summaryJson());
        return 0;
    }

    private int crossValidate(Map<String, String> options) {
        Taxonomy taxonomy = taxonomy(options);
        Path data = options.containsKey("data") ? Path.of(options.get("data"))
                : configDir(options).resolve(EmbeddingCentroidClassifier.EXAMPLES_FILE);
        int folds = Integer.parseInt(options.getOrDefault("folds", String.valueOf(CalibratedTraining.DEFAULT_FOLDS)));
        TrainingData examples = TrainingData.load(data, taxonomy);
        out.printf("%d-fold cross-validation over %d examples of %s%n", folds, examples.size(), data);
        EmbeddingModel model = options.containsKey("embedding")
                ? OnnxSentenceEmbeddingModel.of(OnnxSentenceEmbeddingModel.Bundled.fromId(options.get("embedding")),
                onnxThreads(options))
                : embeddingModel(options);
        EmbeddingClassifierConfig tuning = EmbeddingClassifierConfig.builder().chunkTokens(Integer.parseInt(
                options.getOrDefault("chunk-tokens", String.valueOf(EmbeddingClassifierConfig.DEFAULT_CHUNK_TOKENS))))
                .build();
        out.printf("embedding model %s, %s%n", model, tuning);
        CrossValidation cv = CrossValidation.of(model, examples, folds, tuning);
        cv.compare().forEach(out::println);
        if (Boolean.parseBoolean(options.getOrDefault("lexical", "false"))) {
            cv.lexicalCascade().forEach(out::println);
        }
        return 0;
    }

    private CategoryClassifier classifier(Map<String, String> options) {
        Path config = configDir(options);
        String kind = options.getOrDefault("classifier", "logistic");
        long start = System.nanoTime();
        CategoryClassifier classifier = switch (kind) {
            case "centroid" -> EmbeddingCentroidClassifier.fromConfig(config, embeddingModel(options),
                    EmbeddingClassifierConfig.ofDefaults());
            case "logistic" -> options.containsKey("model")
                    ? EmbeddingLogisticClassifier.load(Path.of(options.get("model")), taxonomy(options),
                    embeddingModel(options), EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID)
                    : EmbeddingLogisticClassifier.fromConfig(config, embeddingModel(options),
                    EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID);
            default -> throw new UsageException("--classifier must be logistic or centroid, but was '" + kind + "'");
        };
        err.printf("loaded %s in %d ms%n", classifier.version(), (System.nanoTime() - start) / 1_000_000);
        return classifier;
    }

    private Taxonomy taxonomy(Map<String, String> options) {
        return Taxonomy.load(configDir(options).resolve(EmbeddingCentroidClassifier.CATEGORIES_FILE));
    }

    /** {@code --config}, else {@code ./config}, else {@code ../config} (when run inside the module directory). */
    static Path configDir(Map<String, String> options) {
        if (options.containsKey("config")) {
            return Path.of(options.get("config"));
        }
        Path here = Path.of("config");
        return Files.isRegularFile(here.resolve(EmbeddingCentroidClassifier.CATEGORIES_FILE)) ? here : Path.of("../config");
    }

    private BufferedReader input(Map<String, String> options) throws IOException {
        return options.containsKey("in")
                ? Files.newBufferedReader(Path.of(options.get("in")), StandardCharsets.UTF_8)
                : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new UsageException("expected '--option value', but got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    /** The router's embedding model, with {@code --onnx-threads} ONNX Runtime threads per forward pass. */
    private static EmbeddingModel embeddingModel(Map<String, String> options) {
        return EmbeddingCentroidClassifier.defaultEmbeddingModel(onnxThreads(options));
    }

    private static int onnxThreads(Map<String, String> options) {
        String value = options.getOrDefault("onnx-threads", String.valueOf(OnnxSentenceEmbeddingModel.DEFAULT_INTRA_OP_THREADS));
        try {
            int threads = Integer.parseInt(value);
            if (threads >= 1 && threads <= 64) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // named below, with the out-of-range values
        }
        throw new UsageException("--onnx-threads must be a whole number from 1 to 64, but was '" + value + "'");
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new UsageException("missing --" + name);
        }
        return value;
    }

    /** Bad command line. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
