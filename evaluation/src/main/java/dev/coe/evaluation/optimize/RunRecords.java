package dev.coe.evaluation.optimize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The observations of an evaluation run, read from the files the evaluation runner writes: {@code records.jsonl}
 * (one scored item per line, with the predicted category and every expert's recorded score) and the report JSON
 * (its {@code experts} with their costs). A run of several suites writes one {@code records.jsonl} for all of them and one
 * report per suite, so only the records of the report's {@code suite} are read: grades 1-10 and 0/1 correctness must
 * never be averaged together. Items are split by id, as MMLU-Pro is: a numeric id with
 * {@code id % 5 == 0}, else one whose hash is, is held out for the report; both turns of an item stay together.
 * Immutable.
 */
public record RunRecords(String suite, List<Observation> fit, List<Observation> heldOut, List<ExpertCost> experts) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @throws OptimizerException.InvalidInput when a file is missing or a line lacks a required field; the message
     *                                         names the file and the line
     */
    public static RunRecords read(Path records, Path report) throws IOException {
        JsonNode reportRoot = parse(String.join("\n", readLines(report)), report.toString());
        List<ExpertCost> experts = experts(reportRoot, report);
        String onlySuite = reportRoot.hasNonNull("suite") ? reportRoot.get("suite").asText() : null;
        Set<String> skipped = new LinkedHashSet<>();
        List<Observation> fit = new ArrayList<>();
        List<Observation> heldOut = new ArrayList<>();
        Set<String> suites = new LinkedHashSet<>();
        List<String> lines = readLines(records);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = records + ":" + (i + 1);
            JsonNode r = parse(lines.get(i), where);
            String suite = text(r, "suite", where);
            if (onlySuite != null && !onlySuite.equals(suite)) {
                skipped.add(suite);
                continue;
            }
            String item = text(r, "item", where);
            String predicted = text(r, "predictedCategory", where);
            Map<String, Double> scores = new LinkedHashMap<>();
            JsonNode s = r.path("scores");
            if (!s.isObject()) {
                throw new OptimizerException.InvalidInput(where + ": 'scores' must be an object of expert id → score");
            }
            s.fields().forEachRemaining(e -> scores.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : null));
            suites.add(suite);
            Observation o = new Observation(suite + ":" + item + "/" + r.path("turn").asInt(1),
                    r.hasNonNull("trueCategory") ? r.get("trueCategory").asText() : null, predicted, scores);
            (isHeldOut(item) ? heldOut : fit).add(o);
        }
        if (fit.isEmpty() || heldOut.isEmpty()) {
            throw new OptimizerException.InvalidInput(records + ": needs items on both sides of the split (id % 5), but has "
                    + fit.size() + " to fit and " + heldOut.size() + " to report"
                    + (onlySuite == null ? "" : " of suite '" + onlySuite + "' (the report's)")
                    + (skipped.isEmpty() ? "" : "; it also holds " + skipped + ", read with their own reports"));
        }
        return new RunRecords(String.join("+", suites), fit, heldOut, experts);
    }

    /** The held-out rule: numeric ids {@code % 5 == 0}, as MMLU-Pro's evaluation split; other ids by a stable hash. */
    static boolean isHeldOut(String item) {
        try {
            return Long.parseLong(item.strip()) % 5 == 0;
        } catch (NumberFormatException notNumeric) {
            int h = 0;
            for (byte b : item.getBytes(StandardCharsets.UTF_8)) {
                h = 31 * h + (b & 0xff); // String.hashCode over bytes: stable across JVMs
            }
            return Math.floorMod(h, 5) == 0;
        }
    }

    private static List<ExpertCost> experts(JsonNode root, Path report) {
        JsonNode list = root.path("experts");
        if (!list.isArray() || list.isEmpty()) {
            throw new OptimizerException.InvalidInput(report + ": needs a non-empty 'experts' list of {id, activeParamsB, pricePerMTokens}");
        }
        List<ExpertCost> out = new ArrayList<>();
        for (JsonNode e : list) {
            String where = report + ": experts[" + out.size() + "]";
            try {
                out.add(new ExpertCost(text(e, "id", where), number(e, "activeParamsB"), number(e, "pricePerMTokens")));
            } catch (IllegalArgumentException bad) {
                throw new OptimizerException.InvalidInput(where + ": " + bad.getMessage(), bad);
            }
        }
        return out;
    }

    private static Double number(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asDouble() : null;
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            throw new OptimizerException.InvalidInput(where + ": missing '" + field + "'");
        }
        return v.asText();
    }

    private static JsonNode parse(String text, String where) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new OptimizerException.InvalidInput(where + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static List<String> readLines(Path file) throws IOException {
        try {
            return Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new OptimizerException.InvalidInput(file + " not found", e);
        }
    }
}
