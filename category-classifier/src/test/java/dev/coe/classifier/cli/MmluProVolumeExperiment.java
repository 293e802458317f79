package dev.coe.classifier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coe.classifier.Taxonomy;
import dev.coe.classifier.embedding.CachingEmbeddingModel;
import dev.coe.classifier.embedding.EmbeddingCentroidClassifier;
import dev.coe.classifier.embedding.EmbeddingLogisticClassifier;
import dev.coe.classifier.evaluation.MmluProSubjects;
import dev.coe.classifier.training.LabelledExample;
import dev.coe.classifier.training.TrainingData;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Measures what more public exam questions in the training data do: the router's classifier trained on
 * {@code config/classifier/examples.jsonl} plus {@code k} more MMLU-Pro questions of the <b>training split</b> per
 * category (math, stem, humanities; question stem only, as the examples' 80 MMLU-Pro rows; chosen at evenly spaced
 * positions, shifted by {@code -Doffset} to see how much the choice itself moves the figures), then scored on the three
 * held-out suites. An experiment, not a test: the module README ("More MMLU-Pro questions") records its outcome.
 * <pre>
 * ./mvnw -q -pl category-classifier test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.coe.classifier.cli.MmluProVolumeExperiment -Dk=0,15,30,45,60,100,300 -Doffset=0
 * </pre>
 * Run from the repository root; reads {@code config/} and {@code ../shared/data} (override with
 * {@code -Dcoe.shared.data}). Each text is embedded once (about a minute for the default {@code k}).
 */
public final class MmluProVolumeExperiment {

    private MmluProVolumeExperiment() {
    }

    public static void main(String[] args) throws IOException {
        Path config = Path.of("config");
        Taxonomy taxonomy = Taxonomy.load(config.resolve(EmbeddingCentroidClassifier.CATEGORIES_FILE));
        TrainingData data = TrainingData.load(config.resolve(EmbeddingCentroidClassifier.EXAMPLES_FILE), taxonomy);
        Set<String> used = new HashSet<>();
        data.examples().forEach(e -> used.add(e.source()));
        Map<String, List<LabelledExample>> pool = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        Path shared = Path.of(System.getProperty("coe.shared.data", "../shared/data"));
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(shared.resolve("mmlu_pro/questions.jsonl.gz"))), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                JsonNode row = json.readTree(line);
                String id = row.path("question_id").asText();
                if (MmluProSubjects.isEvaluationSplit(id) || used.contains("mmlu_pro:" + id)) {
                    continue; // never the evaluation split, and not the rows already among the examples
                }
                Optional<String> c = MmluProSubjects.category(row.path("category").asText());
                if (c.isEmpty()) {
                    continue;
                }
                pool.computeIfAbsent(c.get(), k -> new ArrayList<>()).add(
                        new LabelledExample(row.path("question").asText().strip(), c.get(), "mmlu_pro:" + id));
            }
        }
        pool.forEach((k, v) -> System.out.println(k + " pool " + v.size()));
        CachingEmbeddingModel model = new CachingEmbeddingModel(EmbeddingCentroidClassifier.defaultEmbeddingModel(), 1L << 30);
        List<HeldOutSuites.Named> suites = HeldOutSuites.read(taxonomy.ids());
        int[] perCategory = Arrays.stream(System.getProperty("k", "0,15,30,45,60,100,300").split(",")).mapToInt(Integer::parseInt).toArray();
        for (int k : perCategory) {
            List<LabelledExample> examples = new ArrayList<>(data.examples());
            for (List<LabelledExample> v : pool.values()) {
                for (int i = 0; i < k; i++) {
                    examples.add(v.get((int) (((long) i * v.size() / k + Long.getLong("offset", 0)) % v.size())));
                }
            }
            EmbeddingLogisticClassifier c = EmbeddingLogisticClassifier.train(model, EmbeddingLogisticClassifier.DEFAULT_EMBEDDING_MODEL_ID,
                    TrainingData.of(taxonomy, examples), EmbeddingLogisticClassifier.DEFAULT_L2);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "k %4d (n %d) cv %s:", k, examples.size(),
                    c.artifact().metrics().get("cv_accuracy")));
            for (HeldOutSuites.Named s : suites) {
                List<EvaluationInput.Item> items = s.input().items();
                String[] p = items.stream().map(i -> c.classify(i.conversation()).category()).toArray(String[]::new);
                line.append(String.format(Locale.ROOT, " %s %.3f", s.name(), HeldOutSuites.accuracy(items, i -> p[i])));
            }
            System.out.println(line);
        }
    }
}
