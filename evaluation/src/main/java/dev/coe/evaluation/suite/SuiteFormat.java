package dev.coe.evaluation.suite;

import java.util.Arrays;

/** The data formats a suite file may name; each has its own loader. */
public enum SuiteFormat {
    /** FastChat {@code question.jsonl} (two turns, categories) with recorded answers and GPT-4 grades per turn. */
    MT_BENCH("mt-bench"),
    /** Arena-style single-turn prompts without category labels, answers per model and one grade per answer. */
    ARENA("arena"),
    /** MMLU-Pro multiple choice, scored by exact match of the chosen letter (no judge). */
    MMLU_PRO("mmlu-pro");

    private final String id;

    SuiteFormat(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** @throws InvalidSuiteException naming the accepted values when {@code id} is none of them */
    public static SuiteFormat of(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst().orElseThrow(() ->
                new InvalidSuiteException("format must be one of mt-bench, arena, mmlu-pro, but was " + id));
    }
}
