package dev.coe.classifier.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coe.classifier.Taxonomy;
import dev.coe.classifier.embedding.EmbeddingCentroidClassifier;
import dev.coe.classifier.training.LabelledExample;
import dev.coe.classifier.training.TrainingData;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Paraphrase guard for the training examples (a tool, not a test): embeds every example and every
 * MT-Bench turn and arena_bench_v1 prompt with bge-small-en-v1.5 and prints, per example, the closest
 * evaluation prompt when their cosine similarity reaches a threshold (default 0.80), then the
 * highest similarity overall. The data rule (config/classifier/README.md) keeps every pair below
 * 0.83. Run from the project root after {@code install}:
 * <pre>
 * ./mvnw -q -B -o -pl category-classifier exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.coe.classifier.bench.EvaluationSimilarityCheck [-Dexec.args="0.78"]
 * </pre>
 */
public final class EvaluationSimilarityCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EvaluationSimilarityCheck() {
    }

    public static void main(String[] args) throws IOException {
        double threshold = args.length > 0 ? Double.parseDouble(args[0]) : 0.80;
        Path config = Files.isDirectory(Path.of("config")) ? Path.of("config") : Path.of("../config");
        Path shared = Path.of(System.getProperty("coe.shared.data",
                Files.isDirectory(Path.of("../shared/data")) ? "../shared/data" : "../../shared/data"));
        Taxonomy taxonomy = Taxonomy.load(config.resolve(EmbeddingCentroidClassifier.CATEGORIES_FILE));
        List<LabelledExample> examples = TrainingData.load(config.resolve(EmbeddingCentroidClassifier.EXAMPLES_FILE),
                taxonomy).examples();
        List<String> evaluation = new ArrayList<>();
        for (String line : Files.readAllLines(shared.resolve("mt_bench/question.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JSON.readTree(line).get("turns").forEach(t -> evaluation.add(t.asText()));
            }
        }
        for (String line : Files.readAllLines(shared.resolve("arena_bench_v1/question.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode turns = JSON.readTree(line).get("turns");
                turns.forEach(t -> evaluation.add(t.isTextual() ? t.asText() : t.path("content").asText()));
            }
        }
        EmbeddingModel model = EmbeddingCentroidClassifier.defaultEmbeddingModel();
        float[][] e = unit(model, examples.stream().map(LabelledExample::text).toList());
        float[][] v = unit(model, evaluation);
        double overall = 0;
        int flagged = 0;
        for (int i = 0; i < e.length; i++) {
            int best = -1;
            double bestSimilarity = -1;
            for (int j = 0; j < v.length; j++) {
                double s = 0;
                for (int k = 0; k < e[i].length; k++) {
                    s += e[i][k] * v[j][k];
                }
                if (s > bestSimilarity) {
                    bestSimilarity = s;
                    best = j;
                }
            }
            overall = Math.max(overall, bestSimilarity);
            if (bestSimilarity >= threshold) {
                flagged++;
                System.out.printf("%.3f  [%s] %s%n       ~ %s%n", bestSimilarity, examples.get(i).category(),
                        shorten(examples.get(i).text()), shorten(evaluation.get(best)));
            }
        }
        System.out.printf("%d examples, %d evaluation prompts; %d at or above %.2f; highest similarity %.3f%n",
                e.length, v.length, flagged, threshold, overall);
    }

    private static float[][] unit(EmbeddingModel model, List<String> texts) {
        List<Embedding> embeddings = model.embedAll(texts.stream().map(TextSegment::from).toList()).content();
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            float[] x = embeddings.get(i).vector();
            double norm = 0;
            for (float f : x) {
                norm += f * f;
            }
            float scale = (float) (1 / Math.sqrt(norm));
            for (int k = 0; k < x.length; k++) {
                x[k] *= scale;
            }
            out[i] = x;
        }
        return out;
    }

    private static String shorten(String text) {
        String flat = text.replace('\n', ' ');
        return flat.length() <= 140 ? flat : flat.substring(0, 140) + "...";
    }
}
