package dev.coe.evaluation.run;

import java.util.Map;

/**
 * One scored turn of one suite item: what the router did and what every expert would have earned. Written one
 * per line to {@code records.jsonl}; the field names are a contract with the mapping optimizer, keep them.
 *
 * @param scores     expert id -> that expert's recorded score for this turn (null when missing, or in live mode)
 * @param score      what the system earned: the score of the answer the router's expert gave (null: failed or
 *                   unparseable)
 * @param error      why there is no score, or null
 */
public record ItemRecord(String suite, String item, int turn, String trueCategory, String predictedCategory,
                         Double confidence, String expert, Double score, Map<String, Double> scores, double latencyMs,
                         String error) {
}
