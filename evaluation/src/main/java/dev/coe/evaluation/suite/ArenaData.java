package dev.coe.evaluation.suite;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Arena-style single-turn suite: {@code question.jsonl}, {@code model_answer/<model>.jsonl}, {@code scores.csv}. */
final class ArenaData {

    private ArenaData() {
    }

    static SuiteLoader.Loaded load(SuiteDefinition d, boolean recorded) {
        Map<String, Map<String, List<String>>> answers = new HashMap<>();
        for (ExpertSpec e : recorded ? d.experts() : List.<ExpertSpec>of()) {
            SuiteLoader.forEachJsonLine(d.dataDir().resolve("model_answer/" + e.model() + ".jsonl"), n ->
                    answers.computeIfAbsent(n.get("question_id").asText(), k -> new HashMap<>())
                            .put(e.model(), SuiteLoader.texts(n.at("/choices/0/turns"))));
        }
        Map<String, Map<String, List<Double>>> scores = new HashMap<>();
        SuiteLoader.forEachLine(d.dataDir().resolve(recorded ? "scores.csv" : "question.jsonl"), line -> {
            String[] f = line.split(",", -1);
            if (recorded && !f[0].equals("model")) {
                Double s = SuiteLoader.parseScore(f[2]);
                // An empty grade (the judge's output could not be parsed) stays null: a missing grade.
                List<Double> one = new ArrayList<>();
                one.add(s);
                scores.computeIfAbsent(f[1], k -> new HashMap<>()).put(f[0], one);
            }
        });
        List<SuiteItem> items = new ArrayList<>();
        SuiteLoader.forEachJsonLine(d.dataDir().resolve("question.jsonl"), n -> {
            String id = n.get("question_id").asText();
            items.add(new SuiteItem(id, null, SuiteLoader.texts(n.get("turns")), null,
                    answers.getOrDefault(id, Map.of()), scores.getOrDefault(id, Map.of())));
        });
        return new SuiteLoader.Loaded(items, d.routing(), "committed in the suite file");
    }
}
