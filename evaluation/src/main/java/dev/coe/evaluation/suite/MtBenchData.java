package dev.coe.evaluation.suite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** FastChat MT-Bench: {@code question.jsonl}, {@code reference_answer_gpt-4.jsonl}, {@code recorded/}. */
final class MtBenchData {

    private MtBenchData() {
    }

    static SuiteLoader.Loaded load(SuiteDefinition d, boolean recorded) {
        Map<String, List<String>> references = new HashMap<>();
        SuiteLoader.forEachJsonLine(d.dataDir().resolve("reference_answer_gpt-4.jsonl"), n -> references.put(
                n.get("question_id").asText(), SuiteLoader.texts(n.at("/choices/0/turns"))));
        Map<String, Map<String, List<String>>> answers = new HashMap<>();
        Map<String, Map<String, List<Double>>> scores = new HashMap<>();
        for (ExpertSpec e : recorded ? d.experts() : List.<ExpertSpec>of()) {
            SuiteLoader.forEachJsonLine(d.dataDir().resolve("recorded/" + e.model() + ".answers.jsonl"), n ->
                    answers.computeIfAbsent(n.get("question_id").asText(), k -> new HashMap<>())
                            .put(e.model(), SuiteLoader.texts(n.at("/choices/0/turns"))));
        }
        SuiteLoader.forEachLine(d.dataDir().resolve(recorded ? "recorded/scores.csv" : "question.jsonl"), line -> {
            if (!recorded) {
                return;
            }
            String[] f = line.split(",", -1);
            if (f[0].equals("model")) {
                return;
            }
            int turn = Integer.parseInt(f[2]);
            List<Double> perTurn = scores.computeIfAbsent(f[1], k -> new HashMap<>())
                    .computeIfAbsent(f[0], k -> new ArrayList<>(Arrays.asList(null, null)));
            perTurn.set(turn - 1, SuiteLoader.parseScore(f[3]));
        });
        List<SuiteItem> items = new ArrayList<>();
        SuiteLoader.forEachJsonLine(d.dataDir().resolve("question.jsonl"), n -> {
            String id = n.get("question_id").asText();
            items.add(new SuiteItem(id, n.get("category").asText(), SuiteLoader.texts(n.get("turns")),
                    references.get(id), answers.getOrDefault(id, Map.of()),
                    new LinkedHashMap<>(scores.getOrDefault(id, Map.of()))));
        });
        return new SuiteLoader.Loaded(items, d.routing(), "committed in the suite file");
    }
}
