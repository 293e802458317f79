package dev.coe.evaluation.optimize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.Turn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Observations built straight from the recorded arena_bench_v1 data in {@code shared/data}: 300 real user prompts,
 * classified by the router's classifier in process, with the GPT-4 grade (1-10) of each of 15 models; an empty grade
 * (unparsable judge output) is missing, not zero. The prompts have no category labels. Like
 * {@link MmluProObservations}, a stand-in until the evaluation runner replays this suite. Stateless.
 */
public final class ArenaObservations {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ArenaObservations() {
    }

    /**
     * Prompts whose id passes {@link RunRecords#isHeldOut} are held out for the report; the rest fit.
     *
     * @throws OptimizerException.InvalidInput if a file is missing or a line is malformed
     */
    public static MmluProObservations.Data load(Path sharedData, CategoryClassifier classifier) throws IOException {
        Map<String, Map<String, Double>> scores = scores(sharedData.resolve("arena_bench_v1/scores.csv"));
        Map<String, Double> params = MmluProObservations.activeParams(sharedData);
        List<Observation> fit = new ArrayList<>();
        List<Observation> heldOut = new ArrayList<>();
        for (String line : lines(sharedData.resolve("arena_bench_v1/question.jsonl"))) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode q = JSON.readTree(line);
            String id = q.path("question_id").asText();
            String prompt = q.path("turns").path(0).asText();
            String predicted = classifier.classify(List.of(Turn.user(prompt))).category();
            Observation o = new Observation("arena:" + id, null, predicted, scores.getOrDefault(id, Map.of()));
            (RunRecords.isHeldOut(id) ? heldOut : fit).add(o);
        }
        TreeSet<String> models = new TreeSet<>();
        scores.values().forEach(s -> models.addAll(s.keySet()));
        return new MmluProObservations.Data(fit, heldOut,
                models.stream().map(m -> new ExpertCost(m, params.get(m), null)).toList());
    }

    /** question id → model → grade, from {@code scores.csv} ({@code model,question_id,score}). */
    static Map<String, Map<String, Double>> scores(Path file) throws IOException {
        List<String> lines = lines(file);
        if (lines.isEmpty() || !lines.getFirst().startsWith("model,question_id,score")) {
            throw new OptimizerException.InvalidInput(file + ": expected the header model,question_id,score");
        }
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            if (f.length != 3) {
                throw new OptimizerException.InvalidInput(file + ":" + (i + 1) + ": expected model,question_id,score");
            }
            Map<String, Double> row = out.computeIfAbsent(f[1], k -> new LinkedHashMap<>());
            if (!f[2].isBlank()) {
                row.put(f[0], Double.parseDouble(f[2]));
            }
        }
        return out;
    }

    private static List<String> lines(Path file) throws IOException {
        try {
            return Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new OptimizerException.InvalidInput(file + " not found; point --data at shared/data", e);
        }
    }
}
