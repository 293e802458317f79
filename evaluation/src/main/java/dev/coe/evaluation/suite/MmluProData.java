package dev.coe.evaluation.suite;

import dev.coe.classifier.evaluation.MmluProSubjects;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MMLU-Pro: {@code questions.jsonl.gz} and {@code correctness.csv.gz}. Only the evaluation split
 * ({@code question_id % 5 == 0}) becomes items; a model's recorded answer is its chosen letter, scored 1 when it
 * equals the key and 0 otherwise (exact match; a row without a letter counts as wrong, a model without a row for
 * a question has a missing grade). The training split is used for one thing only: fitting the routing table,
 * best expert per category by accuracy, when the suite asks for {@code routing-fit: training-split}.
 */
final class MmluProData {

    private static final String SHOTS_SUFFIX = "_5shots";

    private MmluProData() {
    }

    static SuiteLoader.Loaded load(SuiteDefinition d, boolean recorded) {
        Map<String, String> modelOfColumn = new HashMap<>();
        d.experts().forEach(e -> modelOfColumn.put(e.model(), e.model()));
        Map<String, Map<String, List<String>>> answers = new HashMap<>();
        Map<String, Map<String, List<Double>>> scores = new HashMap<>();
        // category -> model -> [correct, total] on the training split
        Map<String, Map<String, int[]>> training = new TreeMap<>();
        SuiteLoader.forEachLine(d.dataDir().resolve("correctness.csv.gz"), line -> {
            String[] f = line.split(",", -1);
            String model = modelOfColumn.get(f[0].endsWith(SHOTS_SUFFIX)
                    ? f[0].substring(0, f[0].length() - SHOTS_SUFFIX.length()) : f[0]);
            if (model == null || f[0].equals("model") || !recorded) {
                return;
            }
            String pred = f[3].strip();
            boolean correct = !pred.isEmpty() && pred.equals(f[4].strip());
            if (MmluProSubjects.isEvaluationSplit(f[1])) {
                answers.computeIfAbsent(f[1], k -> new HashMap<>()).put(model,
                        List.of(pred.isEmpty() ? "I cannot choose an answer." : "The answer is (" + pred + ")."));
                scores.computeIfAbsent(f[1], k -> new HashMap<>()).put(model, List.of(correct ? 1.0 : 0.0));
            } else {
                String category = MmluProSubjects.category(f[2]).orElse("other");
                int[] tally = training.computeIfAbsent(category, k -> new LinkedHashMap<>())
                        .computeIfAbsent(model, k -> new int[2]);
                tally[0] += correct ? 1 : 0;
                tally[1]++;
            }
        });
        List<SuiteItem> items = new ArrayList<>();
        SuiteLoader.forEachJsonLine(d.dataDir().resolve("questions.jsonl.gz"), n -> {
            String id = n.get("question_id").asText();
            if (MmluProSubjects.isEvaluationSplit(id)) {
                String prompt = MmluProSubjects.prompt(n.get("question").asText(), SuiteLoader.texts(n.get("options")));
                items.add(new SuiteItem(id, MmluProSubjects.category(n.get("category").asText()).orElse(null),
                        List.of(prompt), List.of(n.get("answer").asText()), answers.getOrDefault(id, Map.of()),
                        scores.getOrDefault(id, Map.of())));
            }
        });
        if (d.routingFit() == null) {
            return new SuiteLoader.Loaded(items, d.routing(), "committed in the suite file");
        }
        return new SuiteLoader.Loaded(items, fittedRouting(d, training),
                "fitted on the training split (question_id % 5 != 0): the most accurate expert per category");
    }

    /** Best expert per category on the training split; categories without MMLU-Pro rows get the best overall. */
    static String fittedRouting(SuiteDefinition d, Map<String, Map<String, int[]>> training) {
        Map<String, int[]> overall = new LinkedHashMap<>();
        training.values().forEach(byModel -> byModel.forEach((model, t) -> {
            int[] o = overall.computeIfAbsent(model, k -> new int[2]);
            o[0] += t[0];
            o[1] += t[1];
        }));
        String best = idOf(d, argmax(d, overall));
        StringBuilder yaml = new StringBuilder("router-models: [auto]\nfallback-chain: [" + best + "]\n"
                + "default-threshold: 0.30\nrules:\n");
        for (String category : List.of("writing", "roleplay", "reasoning", "math", "coding", "extraction", "stem",
                "humanities")) {
            Map<String, int[]> byModel = training.get(category);
            String expert = byModel == null ? best : idOf(d, argmax(d, byModel));
            yaml.append("  - category: ").append(category).append("\n    chain: [").append(expert).append("]\n");
        }
        return yaml.toString();
    }

    /** Ties go to the expert listed first in the suite file. */
    private static String argmax(SuiteDefinition d, Map<String, int[]> tallies) {
        String best = null;
        double bestAccuracy = -1;
        for (ExpertSpec e : d.experts()) {
            int[] t = tallies.get(e.model());
            double accuracy = t == null || t[1] == 0 ? -1 : (double) t[0] / t[1];
            if (accuracy > bestAccuracy) {
                best = e.model();
                bestAccuracy = accuracy;
            }
        }
        return best;
    }

    private static String idOf(SuiteDefinition d, String model) {
        return d.experts().stream().filter(e -> e.model().equals(model)).findFirst().orElseThrow().id();
    }
}
