package dev.coe.evaluation.report;

import java.util.Map;

/**
 * One row of a report: the router, a single expert alone, random routing or the per-prompt oracle, with its
 * overall and per-category score and its average cost.
 *
 * @param kind            router, expert, random or oracle
 * @param avgActiveParamsB mean active parameters (billions) over the calls that went to open models; null if none
 * @param closedShare     share of calls that went to closed models (no public size), 0-1
 * @param avgPrice        mean documented price (USD per million output tokens) over priced calls; null if none
 */
public record Line(String name, String kind, Double score, Map<String, Double> perCategory, Double avgActiveParamsB,
                   double closedShare, Double avgPrice) {
}
