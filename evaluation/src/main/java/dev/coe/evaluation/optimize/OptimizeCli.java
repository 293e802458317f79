package dev.coe.evaluation.optimize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.ClassifierConfigException;
import dev.coe.classifier.Taxonomy;
import dev.coe.classifier.embedding.EmbeddingCentroidClassifier;
import dev.coe.classifier.embedding.EmbeddingLogisticClassifier;
import dev.coe.classifier.evaluation.MmluProSubjects;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Command line of the mapping optimizer: fits the category → expert mapping on one split, scores it on the other,
 * and writes the report, the frontier chart and a draft {@code routing.yaml}. Run with {@code help} for the options.
 * Exit status 0 on success, 2 for bad usage or input, 1 for other errors.
 */
public final class OptimizeCli {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String USAGE = """
            usage: OptimizeCli <command> [options]
              mmlu-pro [--data <shared/data>] [--config <dir>] [--taxonomy routing|subjects] [--per-subject all]
                       [--budgets 0.4,1.0] [--threads 2] [--out target/optimizer/mmlu-pro-<taxonomy>]
                       fits on the MMLU-Pro training split (question_id % 5 != 0) and reports on the evaluation split;
                       categories come from the router's classifier (routing: config/categories.yaml and its model) or
                       from the same classifier trained on the training split for the 14 subjects (subjects); cost is
                       active parameters (models without a count are left out)
              arena    [--data <shared/data>] [--config <dir>] [--budgets 0.4,1.0] [--out target/optimizer/arena]
                       arena_bench_v1's 300 prompts (GPT-4 grades 1-10), classified by the router's classifier; prompts
                       whose id hashes to 0 mod 5 are held out; cost is active parameters (closed models left out)
              records  --records <run>/records.jsonl --report <run>/report.json [--config <dir>] [--basis params|price]
                       [--budgets 0.4,1.0] [--out <dir>]
                       the same from an evaluation run: items whose id % 5 == 0 (a hash for non-numeric ids) are
                       held out for the report, the rest fit the mapping
            budgets are fractions of the best single expert's average cost (fitted on the fitting split); the report
            also gives the cheapest mapping whose fitting-split quality reaches the best single's.
            --min-coverage 0.99: an expert is chosen for a category only if scored on this fraction of its items.
            --traffic <counts.json>: weight categories by live traffic {"category": count} instead of the suite's mix
            (changes which mapping each budget gets; held-out figures stay on the held-out split's own mix).
            --shrinkage auto|<k>: pull each cell toward the expert's overall quality with pseudo-count k; auto picks k
            from 0, 5, 20, 50, 200 by 5-fold cross-validation inside the fitting split at the first budget.
            writes <out>/frontier.json, <out>/frontier.svg and <out>/routing.yaml (the draft at the first budget).
            """;

    private final PrintStream out;
    private final PrintStream err;

    OptimizeCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int status = new OptimizeCli(System.out, System.err).run(args);
        System.out.flush();
        System.exit(status);
    }

    int run(String[] args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            Map<String, String> options = options(args);
            return switch (args[0]) {
                case "mmlu-pro" -> mmluPro(options);
                case "arena" -> arena(options);
                case "records" -> records(options);
                default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            };
        } catch (OptimizerException | ClassifierConfigException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("error: " + e);
            return 1;
        }
    }

    private int mmluPro(Map<String, String> options) throws IOException {
        Path data = Path.of(options.getOrDefault("data", Files.isDirectory(Path.of("../shared/data"))
                ? "../shared/data" : "../../shared/data"));
        Path config = configDir(options);
        String taxonomyKind = options.getOrDefault("taxonomy", "routing");
        int threads = Integer.parseInt(options.getOrDefault("threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        Path outDir = Path.of(options.getOrDefault("out", "target/optimizer/mmlu-pro-" + taxonomyKind));
        Path cacheFile = Path.of(options.getOrDefault("cache", "target/optimizer/embeddings-"
                + EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID + ".bin"));
        try (EmbeddingCache cache = EmbeddingCache.open(cacheFile, EmbeddingCentroidClassifier.defaultEmbeddingModel(),
                EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID)) {
            err.printf("embedding cache %s: %d vectors%n", cacheFile, cache.size());
            CategoryClassifier classifier;
            List<String> categories;
            MmluProObservations.Data observations;
            switch (taxonomyKind) {
                case "routing" -> {
                    Taxonomy taxonomy = Taxonomy.load(config.resolve("categories.yaml"));
                    classifier = EmbeddingLogisticClassifier.fromConfig(config, cache,
                            EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID);
                    categories = taxonomy.ids();
                    observations = MmluProObservations.load(data, classifier, MmluProSubjects::category, threads, err);
                }
                case "subjects" -> {
                    String limit = options.getOrDefault("per-subject", "all");
                    int perSubject = limit.equals("all") ? Integer.MAX_VALUE : Integer.parseInt(limit);
                    List<MmluProObservations.Question> questions = MmluProObservations.questions(data);
                    EmbeddingLogisticClassifier trained = MmluProSubjectClassifier.train(questions, cache, perSubject);
                    classifier = trained;
                    categories = trained.taxonomy().ids();
                    observations = MmluProObservations.load(data, classifier, MmluProSubjectClassifier::trueCategory,
                            threads, err);
                }
                default -> throw new IllegalArgumentException("--taxonomy must be routing or subjects, but was '"
                        + taxonomyKind + "'");
            }
            err.printf("embedding cache: %d vectors, %d computed in this run%n", cache.size(), cache.misses());
            Optional<String> live = taxonomyKind.equals("routing") ? readIfExists(config.resolve("routing.yaml")) : Optional.empty();
            FrontierReport report = FrontierReport.build("mmlu-pro", classifier.version(), categories,
                    observations.experts(), CostBasis.ACTIVE_PARAMS, observations.train(), observations.heldOut(),
                    budgets(options), live.map(text -> DraftRouting.liveMapping(text, categories)), minCoverage(options), shrinkage(options), traffic(options));
            write(report, outDir, live);
            return 0;
        }
    }

    private int arena(Map<String, String> options) throws IOException {
        Path data = sharedData(options);
        Path config = configDir(options);
        try (EmbeddingCache cache = EmbeddingCache.open(cacheFile(options), EmbeddingCentroidClassifier.defaultEmbeddingModel(),
                EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID)) {
            EmbeddingLogisticClassifier classifier = EmbeddingLogisticClassifier.fromConfig(config, cache,
                    EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID);
            List<String> categories = classifier.taxonomy().ids();
            MmluProObservations.Data observations = ArenaObservations.load(data, classifier);
            Optional<String> live = readIfExists(config.resolve("routing.yaml"));
            FrontierReport report = FrontierReport.build("arena_bench_v1", classifier.version(), categories,
                    observations.experts(), CostBasis.ACTIVE_PARAMS, observations.train(), observations.heldOut(),
                    budgets(options), live.map(text -> DraftRouting.liveMapping(text, categories)), minCoverage(options), shrinkage(options), traffic(options));
            write(report, Path.of(options.getOrDefault("out", "target/optimizer/arena")), live);
            return 0;
        }
    }

    private static Path sharedData(Map<String, String> options) {
        return Path.of(options.getOrDefault("data", Files.isDirectory(Path.of("../shared/data"))
                ? "../shared/data" : "../../shared/data"));
    }

    private static Path cacheFile(Map<String, String> options) {
        return Path.of(options.getOrDefault("cache", "target/optimizer/embeddings-"
                + EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID + ".bin"));
    }

    private int records(Map<String, String> options) throws IOException {
        Path config = configDir(options);
        RunRecords run = RunRecords.read(Path.of(required(options, "records")), Path.of(required(options, "report")));
        CostBasis basis = switch (options.getOrDefault("basis", "params")) {
            case "params" -> CostBasis.ACTIVE_PARAMS;
            case "price" -> CostBasis.PRICE;
            default -> throw new IllegalArgumentException("--basis must be params or price");
        };
        Taxonomy taxonomy = Taxonomy.load(config.resolve("categories.yaml"));
        Optional<String> live = readIfExists(config.resolve("routing.yaml"));
        FrontierReport report = FrontierReport.build(run.suite(), "recorded in the run", taxonomy.ids(), run.experts(),
                basis, run.fit(), run.heldOut(), budgets(options),
                live.map(text -> DraftRouting.liveMapping(text, taxonomy.ids())), minCoverage(options), shrinkage(options), traffic(options));
        write(report, Path.of(options.getOrDefault("out", "target/optimizer/" + run.suite())), live);
        return 0;
    }

    private void write(FrontierReport report, Path outDir, Optional<String> live) throws IOException {
        Files.createDirectories(outDir);
        JSON.writeValue(outDir.resolve("frontier.json").toFile(), report);
        Files.writeString(outDir.resolve("frontier.svg"), FrontierChart.svg(report));
        FrontierReport.Point draft = report.budgets().values().stream().findFirst().orElse(report.bestSingle());
        Files.writeString(outDir.resolve("routing.yaml"), DraftRouting.yaml(draft.mapping(), live, String.format(Locale.ROOT,
                "Draft routing from the CoE mapping optimizer (%s, classifier %s).%n%s: held-out quality %s, "
                        + "average cost %.2f %s.%n%s: held-out quality %s, cost %.2f.",
                report.suite(), report.classifier(), draft.label(), draft.quality(), draft.cost(), report.basis().unit(),
                report.bestSingle().label(), report.bestSingle().quality(), report.bestSingle().cost())));
        out.print(Summary.text(report));
        out.printf("wrote %s/{frontier.json,frontier.svg,routing.yaml}%n", outDir);
    }

    private static List<Double> budgets(Map<String, String> options) {
        return Arrays.stream(options.getOrDefault("budgets", "0.4,1.0").split(","))
                .map(String::strip).map(Double::parseDouble).toList();
    }

    /** {@code --traffic counts.json}: {"category": count, ...}, e.g. copied from the dashboard's live view. */
    private static Map<String, Number> traffic(Map<String, String> options) throws IOException {
        if (!options.containsKey("traffic")) {
            return Map.of();
        }
        Path file = Path.of(options.get("traffic"));
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new OptimizerException.InvalidInput(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new OptimizerException.InvalidInput(file + ": expected an object of category → request count");
        }
        Map<String, Number> counts = new java.util.LinkedHashMap<>();
        root.fields().forEachRemaining(e -> {
            if (!e.getValue().isNumber()) {
                throw new OptimizerException.InvalidInput(file + ": count of '" + e.getKey() + "' must be a number");
            }
            counts.put(e.getKey(), e.getValue().numberValue());
        });
        return counts;
    }

    /** {@code --shrinkage auto} (default) chooses by cross-validation inside the fitting split. */
    private static java.util.OptionalDouble shrinkage(Map<String, String> options) {
        String value = options.getOrDefault("shrinkage", "auto");
        return value.equals("auto") ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(Double.parseDouble(value));
    }

    private static double minCoverage(Map<String, String> options) {
        return Double.parseDouble(options.getOrDefault("min-coverage", String.valueOf(ParetoFrontier.DEFAULT_MIN_COVERAGE)));
    }

    private static Optional<String> readIfExists(Path file) throws IOException {
        return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
    }

    private static Path configDir(Map<String, String> options) {
        if (options.containsKey("config")) {
            return Path.of(options.get("config"));
        }
        return Files.isDirectory(Path.of("config")) ? Path.of("config") : Path.of("../config");
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, but got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
