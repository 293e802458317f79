package dev.coe.evaluation.optimize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.Classification;
import dev.coe.classifier.Turn;
import dev.coe.classifier.evaluation.MmluProSubjects;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * Observations built straight from the recorded MMLU-Pro data in {@code shared/data} ({@code mmlu_pro/} and
 * {@code model_params.csv}): every question, classified by a real classifier in process, with the recorded 0/1
 * correctness of the 29 models. Deliberately small and separate from the evaluation runner's suite loaders, which it
 * will give way to once runs of MMLU-Pro exist. Stateless.
 */
public final class MmluProObservations {

    /** The suffix the correctness file puts on every model name. */
    private static final String RUN_SUFFIX = "_5shots";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One question with its text, subject and split.
     */
    public record Question(String id, String subject, String prompt, boolean evaluationSplit) {
    }

    /**
     * @param train   observations of the training split ({@code question_id % 5 != 0}), for fitting
     * @param heldOut observations of the evaluation split, for reporting
     * @param experts every model with scores, with its active parameters where {@code model_params.csv} knows them
     */
    public record Data(List<Observation> train, List<Observation> heldOut, List<ExpertCost> experts) {
    }

    private MmluProObservations() {
    }

    /** The questions of {@code mmlu_pro/questions.jsonl.gz}, in file order, with prompts as a user would paste them. */
    public static List<Question> questions(Path sharedData) throws IOException {
        List<Question> out = new ArrayList<>();
        try (BufferedReader in = gzip(sharedData.resolve("mmlu_pro/questions.jsonl.gz"))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode q = JSON.readTree(line);
                List<String> options = new ArrayList<>();
                q.path("options").forEach(o -> options.add(o.asText()));
                String id = q.path("question_id").asText();
                out.add(new Question(id, q.path("category").asText(),
                        MmluProSubjects.prompt(q.path("question").asText(), options), MmluProSubjects.isEvaluationSplit(id)));
            }
        }
        return out;
    }

    /**
     * Classifies every question with {@code classifier} on {@code threads} threads and pairs it with the recorded
     * correctness of every model.
     *
     * @param trueCategory the label of a subject in the classifier's taxonomy (empty: unlabelled, e.g. "other")
     * @param progress     where to report progress, one line per 2,000 questions
     * @throws OptimizerException.InvalidInput if a data file is missing or malformed
     */
    public static Data load(Path sharedData, CategoryClassifier classifier,
                            Function<String, java.util.Optional<String>> trueCategory, int threads,
                            PrintStream progress) throws IOException {
        List<Question> questions = questions(sharedData);
        Map<String, Map<String, Double>> scores = correctness(sharedData);
        Map<String, Double> params = activeParams(sharedData);
        List<Classification> classified = classify(classifier, questions, threads, progress);
        List<Observation> train = new ArrayList<>();
        List<Observation> heldOut = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            Question q = questions.get(i);
            Observation o = new Observation("mmlu-pro:" + q.id(), trueCategory.apply(q.subject()).orElse(null),
                    classified.get(i).category(), scores.getOrDefault(q.id(), Map.of()));
            (q.evaluationSplit() ? heldOut : train).add(o);
        }
        TreeSet<String> models = new TreeSet<>();
        scores.values().forEach(s -> models.addAll(s.keySet()));
        List<ExpertCost> experts = models.stream().map(m -> new ExpertCost(m, params.get(m), null)).toList();
        return new Data(train, heldOut, experts);
    }

    /** question id → model → 1.0 (correct) or 0.0, from {@code mmlu_pro/correctness.csv.gz}. */
    static Map<String, Map<String, Double>> correctness(Path sharedData) throws IOException {
        Map<String, Map<String, Double>> out = new HashMap<>();
        Path file = sharedData.resolve("mmlu_pro/correctness.csv.gz");
        try (BufferedReader in = gzip(file)) {
            String header = in.readLine();
            if (header == null || !header.startsWith("model,question_id,")) {
                throw new OptimizerException.InvalidInput(file + ": expected the header model,question_id,category,pred,answer,correct");
            }
            String line;
            int number = 1;
            while ((line = in.readLine()) != null) {
                number++;
                String[] f = line.split(",", -1);
                if (f.length != 6 || !(f[5].equals("0") || f[5].equals("1"))) {
                    throw new OptimizerException.InvalidInput(file + ":" + number + ": expected 6 fields ending in 0 or 1");
                }
                String model = f[0].endsWith(RUN_SUFFIX) ? f[0].substring(0, f[0].length() - RUN_SUFFIX.length()) : f[0];
                out.computeIfAbsent(f[1], k -> new LinkedHashMap<>()).put(model, f[5].equals("1") ? 1.0 : 0.0);
            }
        }
        return out;
    }

    /** model → active parameters (B) from {@code model_params.csv}. */
    static Map<String, Double> activeParams(Path sharedData) throws IOException {
        Path file = sharedData.resolve("model_params.csv");
        Map<String, Double> out = new HashMap<>();
        List<String> lines = readAll(file);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", 4);
            if (f.length < 3) {
                throw new OptimizerException.InvalidInput(file + ":" + (i + 1) + ": expected model,total_params_b,active_params_b,...");
            }
            out.put(f[0], Double.parseDouble(f[2]));
        }
        return out;
    }

    private static List<Classification> classify(CategoryClassifier classifier, List<Question> questions, int threads,
                                                 PrintStream progress) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Classification>> futures = new ArrayList<>();
            for (Question q : questions) {
                futures.add(pool.submit(() -> classifier.classify(List.of(Turn.user(q.prompt())))));
            }
            List<Classification> out = new ArrayList<>();
            long start = System.nanoTime();
            for (Future<Classification> f : futures) {
                out.add(f.get());
                if (out.size() % 2000 == 0) {
                    progress.printf("classified %d of %d questions (%d s)%n", out.size(), questions.size(),
                            (System.nanoTime() - start) / 1_000_000_000L);
                }
            }
            return out;
        } catch (ExecutionException e) {
            throw new IllegalStateException("classifying MMLU-Pro failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while classifying", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static BufferedReader gzip(Path file) throws IOException {
        try {
            return new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new OptimizerException.InvalidInput(file + " not found; point --data at shared/data", e);
        }
    }

    private static List<String> readAll(Path file) throws IOException {
        try {
            return Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new OptimizerException.InvalidInput(file + " not found; point --data at shared/data", e);
        }
    }
}
