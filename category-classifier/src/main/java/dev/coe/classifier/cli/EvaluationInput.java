package dev.coe.classifier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coe.classifier.Turn;
import dev.coe.classifier.training.BadLineException;
import dev.coe.classifier.training.JsonLines;
import dev.coe.classifier.evaluation.LabelFile;
import dev.coe.classifier.evaluation.MmluProSubjects;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The prompts of an {@code evaluate} run, each with its label. Three kinds of input:
 * <ul>
 *   <li>lines that carry their category: {@code {"prompt"|"text", "category"}} or FastChat
 *       {@code {"question_id", "category", "turns"}} (turn 1 is classified);</li>
 *   <li>any of those with a separate label file ({@code --labels}, see {@link LabelFile}), joined on
 *       {@code question_id}: for benchmarks without categories, such as arena_bench_v1;</li>
 *   <li>MMLU-Pro rows {@code {"question_id", "category", "question", "options"}}: only the evaluation
 *       split, subjects mapped by {@link MmluProSubjects}, other rows skipped and counted.</li>
 * </ul>
 * A {@code .gz} file is read through gzip.
 */
final class EvaluationInput {


    /**
     * One prompt to classify.
     *
     * @param expected     the label, or empty when the prompt fits no category (classified, not scored)
     * @param alsoAccepted a second defensible label, for the lenient score
     * @param source       the data file, and the prompt's {@code line} in it, for messages
     */
    record Item(List<Turn> conversation, Optional<String> expected, List<String> alsoAccepted, String source,
                int line) {
    }

    private final List<Item> items;
    private final String skipped;

    private EvaluationInput(List<Item> items, String skipped) {
        this.items = List.copyOf(items);
        this.skipped = skipped;
    }

    List<Item> items() {
        return items;
    }

    /** What was left out and why, or an empty string. */
    String skipped() {
        return skipped;
    }

    /**
     * Reads the data file and, where given, the label file.
     *
     * @throws dev.coe.classifier.training.BadLineException if a line is not valid JSON, has no usable label or no
     *                                                      text to classify; the message says which line
     * @throws IllegalArgumentException                     if the label file and the data do not cover the same
     *                                                      question ids
     */
    static EvaluationInput read(Path data, Optional<Path> labelFile, List<String> categories) throws IOException {
        List<JsonLines.Line> rows = JsonLines.readNumbered(data);
        String source = data.toString();
        if (labelFile.isPresent()) {
            return joined(rows, source, LabelFile.load(labelFile.get(), categories), labelFile.get());
        }
        List<Item> items = new ArrayList<>();
        int trainingSplit = 0;
        int unmapped = 0;
        for (JsonLines.Line line : rows) {
            JsonNode row = line.json();
            if (row.has("question") && row.path("options").isArray()) { // MMLU-Pro
                if (!MmluProSubjects.isEvaluationSplit(row.path("question_id").asText())) {
                    trainingSplit++;
                    continue;
                }
                Optional<String> category = MmluProSubjects.category(row.path("category").asText());
                if (category.isEmpty()) {
                    unmapped++;
                    continue;
                }
                List<String> options = new ArrayList<>();
                row.get("options").forEach(o -> options.add(o.asText()));
                String prompt = MmluProSubjects.prompt(row.get("question").asText(), options);
                items.add(new Item(List.of(Turn.user(prompt)), category, List.of(), source, line.number()));
            } else {
                String expected = row.path("category").asText("");
                if (!categories.contains(expected)) {
                    throw new BadLineException(source, line.number(), "category '" + expected
                            + "' is not in the taxonomy " + categories
                            + " (for a benchmark without categories, pass --labels)");
                }
                List<Turn> conversation = BadLineException.locate(source, line.number(),
                        () -> InputLine.conversation(row, true));
                items.add(new Item(conversation, Optional.of(expected), List.of(), source, line.number()));
            }
        }
        String skipped = trainingSplit + unmapped == 0 ? ""
                : "skipped MMLU-Pro rows: " + trainingSplit + " of the training split, " + unmapped
                + " of a subject without a category";
        return new EvaluationInput(items, skipped);
    }

    private static EvaluationInput joined(List<JsonLines.Line> rows, String source, Map<String, LabelFile.Label> labels,
                                          Path labelFile) {
        List<Item> items = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonLines.Line line : rows) {
            String id = line.json().path("question_id").asText("");
            LabelFile.Label label = labels.get(id);
            if (label == null) {
                throw new BadLineException(source, line.number(), "question_id '" + id + "' has no label in "
                        + labelFile);
            }
            seen.add(id);
            List<Turn> conversation = BadLineException.locate(source, line.number(),
                    () -> InputLine.conversation(line.json(), true));
            items.add(new Item(conversation, label.isNone() ? Optional.empty() : Optional.of(label.category()),
                    label.alsoAccepted(), source, line.number()));
        }
        List<String> missing = labels.keySet().stream().filter(id -> !seen.contains(id)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(missing.size() + " labelled question ids of " + labelFile
                    + " are not in the data, e.g. '" + missing.getFirst() + "'");
        }
        long none = items.stream().filter(i -> i.expected().isEmpty()).count();
        return new EvaluationInput(items, none == 0 ? ""
                : none + " prompts labelled '" + LabelFile.NONE + "' are classified but not scored");
    }
}
