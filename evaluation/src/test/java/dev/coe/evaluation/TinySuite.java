package dev.coe.evaluation;

import dev.coe.evaluation.suite.Suite;
import dev.coe.evaluation.suite.SuiteDefinition;
import dev.coe.evaluation.suite.SuiteLoader;
import dev.coe.evaluation.suite.TrainingDataGuard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * A hand-made MT-Bench-format suite whose figures are known: two experts, {@code a} (open, 10B active) and
 * {@code b} (closed, $5/M), four questions. q1 (writing) grades a 8,6 and b 4,10; q2 (math) a 2,3 and b 9,7; q3's
 * first prompt is in the "training data"; q4 lacks b's turn-2 grade.
 */
public final class TinySuite {

    public static final String LEAKED = "Leaked  prompt";

    private TinySuite() {
    }

    public static Suite load(Path root, Double minScore) throws IOException {
        Path data = Files.createDirectories(root.resolve("data/tiny/recorded"));
        Path tiny = data.getParent();
        Files.writeString(tiny.resolve("question.jsonl"), """
                {"question_id": 1, "category": "writing", "turns": ["w1", "w2"]}
                {"question_id": 2, "category": "math", "turns": ["m1", "m2"]}
                {"question_id": 3, "category": "writing", "turns": ["leaked prompt", "w3"]}
                {"question_id": 4, "category": "writing", "turns": ["w4", "w5"]}
                """);
        Files.writeString(tiny.resolve("reference_answer_gpt-4.jsonl"), """
                {"question_id": 2, "model_id": "gpt-4", "choices": [{"index": 0, "turns": ["r1", "r2"]}]}
                """);
        for (String m : new String[] {"model-a", "model-b"}) {
            StringBuilder answers = new StringBuilder();
            for (int q = 1; q <= 4; q++) {
                answers.append("{\"question_id\": %d, \"model_id\": \"%s\", \"choices\": [{\"index\": 0, \"turns\": [\"%s q%d t1\", \"%s q%d t2\"]}]}\n"
                        .formatted(q, m, m, q, m, q));
            }
            Files.writeString(data.resolve(m + ".answers.jsonl"), answers);
        }
        Files.writeString(data.resolve("scores.csv"), """
                model,question_id,turn,score,judge_prompt,source
                model-a,1,1,8.0,single-v1,hand
                model-a,1,2,6.0,single-v1-multi-turn,hand
                model-b,1,1,4.0,single-v1,hand
                model-b,1,2,10.0,single-v1-multi-turn,hand
                model-a,2,1,2.0,single-math-v1,hand
                model-a,2,2,3.0,single-math-v1-multi-turn,hand
                model-b,2,1,9.0,single-math-v1,hand
                model-b,2,2,7.0,single-math-v1-multi-turn,hand
                model-a,3,1,5.0,single-v1,hand
                model-a,3,2,5.0,single-v1-multi-turn,hand
                model-b,3,1,5.0,single-v1,hand
                model-b,3,2,5.0,single-v1-multi-turn,hand
                model-a,4,1,5.0,single-v1,hand
                model-a,4,2,5.0,single-v1-multi-turn,hand
                model-b,4,1,5.0,single-v1,hand
                model-b,4,2,,single-v1-multi-turn,hand
                """);
        Path file = root.resolve("tiny.yaml");
        Files.writeString(file, """
                name: tiny
                format: mt-bench
                data: tiny
                experts:
                  - {id: a, model: model-a, active-params-b: 10}
                  - {id: b, model: model-b, price-per-m-tokens: 5}
                routing: |
                  router-models: [auto]
                  fallback-chain: [a]
                  rules: []
                gate:
                  min-score: %s
                """.formatted(minScore));
        return SuiteLoader.load(SuiteDefinition.load(file, root.resolve("data")), TrainingDataGuard.of(Set.of(LEAKED)));
    }
}
