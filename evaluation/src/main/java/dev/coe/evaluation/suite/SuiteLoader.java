package dev.coe.evaluation.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Loads a suite's data in its format, refuses leaked prompts, and leaves out items with missing grades.
 * Missing grades are handled one way in every suite: an item (for MT-Bench, the whole question) for which
 * any expert of the suite lacks a grade is excluded from all figures and counted, so that the router, every
 * baseline and the oracle are averaged over exactly the same prompts. Stateless and thread-safe.
 */
public final class SuiteLoader {

    static final ObjectMapper JSON = new ObjectMapper();

    private SuiteLoader() {
    }

    /**
     * @param guard the classifier's training prompts; items with a prompt among them are refused
     * @throws InvalidSuiteException when a data file is missing or malformed
     */
    public static Suite load(SuiteDefinition definition, TrainingDataGuard guard) {
        return load(definition, guard, true);
    }

    /**
     * As {@link #load(SuiteDefinition, TrainingDataGuard)}; with {@code recorded} false (live mode) no recorded
     * answers or grades are read, and no item is left out for a missing one.
     */
    public static Suite load(SuiteDefinition definition, TrainingDataGuard guard, boolean recorded) {
        Loaded loaded = switch (definition.format()) {
            case MT_BENCH -> MtBenchData.load(definition, recorded);
            case ARENA -> ArenaData.load(definition, recorded);
            case MMLU_PRO -> MmluProData.load(definition, recorded);
        };
        List<SuiteItem> kept = new ArrayList<>();
        List<String> leaked = new ArrayList<>();
        int missing = 0;
        for (SuiteItem item : loaded.items()) {
            if (item.turns().stream().anyMatch(guard::contains)) {
                leaked.add(item.id());
            } else if (recorded && hasMissingGrade(definition, item)) {
                missing++;
            } else {
                kept.add(item);
            }
        }
        return new Suite(definition, kept, loaded.routingYaml(), loaded.routingNote(), leaked, missing);
    }

    private static boolean hasMissingGrade(SuiteDefinition definition, SuiteItem item) {
        for (ExpertSpec e : definition.experts()) {
            for (int t = 1; t <= item.turns().size(); t++) {
                if (item.score(e.model(), t) == null || item.answer(e.model(), t) == null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The items of a format and, where the format fits its own table, that table. */
    record Loaded(List<SuiteItem> items, String routingYaml, String routingNote) {
    }

    static void forEachJsonLine(Path file, Consumer<JsonNode> action) {
        forEachLine(file, line -> {
            try {
                action.accept(JSON.readTree(line));
            } catch (IOException e) {
                throw new InvalidSuiteException(file + ": a line is not JSON: " + e.getMessage(), e);
            }
        });
    }

    /** Every non-blank line of a text file, gunzipped when its name ends in {@code .gz}. */
    static void forEachLine(Path file, Consumer<String> action) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidSuiteException("data file " + file + " does not exist; set the data root"
                    + " (-Devaluation.data or --data) to the shared data directory");
        }
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    action.accept(line);
                }
            }
        } catch (IOException e) {
            throw new InvalidSuiteException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Double parseScore(String field) {
        String s = field.strip();
        return s.isEmpty() ? null : Double.valueOf(s);
    }
}
