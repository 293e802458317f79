package dev.coe.classifier.evaluation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Category labels kept apart from the prompts they label, so that a benchmark's prompts need not be
 * copied: a CSV file of {@code question_id,category[,alternative]} lines, joined on
 * {@code question_id} with the benchmark's own question file. Lines starting with {@code #} and
 * blank lines are ignored, and so is a header line starting with {@code question_id}. A category of
 * {@value #NONE} marks a prompt that fits no category well. Stateless and thread-safe.
 */
public final class LabelFile {

    /** The label of a prompt that fits no category well. */
    public static final String NONE = "none";

    private LabelFile() {
    }

    /**
     * One prompt's label.
     *
     * @param category    a category id, or {@value #NONE}
     * @param alternative a second defensible category (a lenient score accepts it), or empty
     */
    public record Label(String category, Optional<String> alternative) {

        /** Whether the prompt fits no category well (such prompts are left out of accuracy). */
        public boolean isNone() {
            return category.equals(NONE);
        }

        /** The alternative as a list of accepted categories: empty, or the one alternative category. */
        public List<String> alsoAccepted() {
            return alternative.filter(a -> !a.equals(NONE)).map(List::of).orElse(List.of());
        }
    }

    /**
     * Reads a label file; the result keeps the file's order.
     *
     * @param categories the category ids a label may use (besides {@value #NONE})
     * @throws IllegalArgumentException naming the file and line, for a line without two or three
     *                                  fields, an unknown category, or a repeated question id
     * @throws UncheckedIOException     if the file cannot be read
     */
    public static Map<String, Label> load(Path file, List<String> categories) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read label file " + file, e);
        }
        Map<String, Label> labels = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("question_id,")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            String[] fields = line.split(",", -1);
            if (fields.length < 2 || fields.length > 3 || fields[0].isBlank()) {
                throw new IllegalArgumentException(where + "expected 'question_id,category[,alternative]', but was '"
                        + line + "'");
            }
            String category = known(fields[1].strip(), categories, where, "category");
            Optional<String> alternative = fields.length == 3 && !fields[2].isBlank()
                    ? Optional.of(known(fields[2].strip(), categories, where, "alternative"))
                    : Optional.empty();
            if (labels.put(fields[0].strip(), new Label(category, alternative)) != null) {
                throw new IllegalArgumentException(where + "question_id '" + fields[0].strip() + "' is labelled twice");
            }
        }
        return Collections.unmodifiableMap(labels);
    }

    private static String known(String id, List<String> categories, String where, String field) {
        if (!id.equals(NONE) && !categories.contains(id)) {
            throw new IllegalArgumentException(where + field + " '" + id + "' is neither '" + NONE
                    + "' nor one of " + categories);
        }
        return id;
    }
}
