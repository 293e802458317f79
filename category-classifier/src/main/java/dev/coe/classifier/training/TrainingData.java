package dev.coe.classifier.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coe.classifier.ClassifierConfigException;
import dev.coe.classifier.Taxonomy;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The labelled examples a classifier learns from, checked against a {@link Taxonomy}.
 * Immutable and thread-safe.
 * <p>
 * File format (JSON Lines, UTF-8; blank lines are ignored):
 * <pre>{@code
 * {"text": "Write a bash script that ...", "category": "coding", "source": "handwritten"}
 * }</pre>
 */
public final class TrainingData {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Taxonomy taxonomy;
    private final List<LabelledExample> examples;

    private TrainingData(Taxonomy taxonomy, List<LabelledExample> examples) {
        this.taxonomy = taxonomy;
        this.examples = List.copyOf(examples);
    }

    /**
     * Wraps examples given in code, checking their categories.
     *
     * @throws IllegalArgumentException if an example's category is not in the taxonomy
     */
    public static TrainingData of(Taxonomy taxonomy, List<LabelledExample> examples) {
        for (LabelledExample example : examples) {
            if (!taxonomy.contains(example.category())) {
                throw new IllegalArgumentException(unknownCategory(example.category(), taxonomy));
            }
        }
        return new TrainingData(taxonomy, examples);
    }

    /**
     * Reads examples from a JSON Lines file such as {@code config/classifier/examples.jsonl}.
     *
     * @throws ClassifierConfigException if the file is missing, unreadable or has no examples, or a line is
     *                                   not a JSON object, lacks {@code text}, {@code category} or {@code source},
     *                                   names a category outside the taxonomy, or repeats an earlier text;
     *                                   the message starts with {@code file:line}
     */
    public static TrainingData load(Path jsonl, Taxonomy taxonomy) {
        List<LabelledExample> examples = new ArrayList<>();
        // Repeated texts would silently weigh double in a prototype (or contradict each other).
        Map<String, Integer> firstLineOfText = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                LabelledExample example = parseLine(jsonl, lineNumber, line, taxonomy);
                Integer earlier = firstLineOfText.putIfAbsent(example.text().strip(), lineNumber);
                if (earlier != null) {
                    throw new ClassifierConfigException(jsonl, lineNumber,
                            "text repeats the example on line " + earlier);
                }
                examples.add(example);
            }
        } catch (NoSuchFileException e) {
            throw new ClassifierConfigException(jsonl, 0, "file not found", e);
        } catch (IOException e) {
            throw new ClassifierConfigException(jsonl, 0, "cannot read file: " + e, e);
        }
        if (examples.isEmpty()) {
            throw new ClassifierConfigException(jsonl, 0, "file has no examples");
        }
        return new TrainingData(taxonomy, examples);
    }

    /** The taxonomy every example's category belongs to. */
    public Taxonomy taxonomy() {
        return taxonomy;
    }

    /** The examples in file order. */
    public List<LabelledExample> examples() {
        return examples;
    }

    /** The number of examples. */
    public int size() {
        return examples.size();
    }

    /** The number of examples of each category, in taxonomy order (0 for a category with none). */
    public Map<String, Integer> countsByCategory() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        taxonomy.ids().forEach(id -> counts.put(id, 0));
        examples.forEach(e -> counts.merge(e.category(), 1, Integer::sum));
        return counts;
    }

    /**
     * SHA-256 of what a trained model depends on: the taxonomy's ids in order and every example's
     * category and text, in file order (not the {@code source}). Written as {@code sha256:<hex>}; a
     * model file whose hash differs from the examples' is out of date.
     */
    public String contentHash() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(("taxonomy\t" + String.join(",", taxonomy.ids()) + "\n").getBytes(StandardCharsets.UTF_8));
            for (LabelledExample example : examples) {
                digest.update((example.category() + "\t" + example.text() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return "sha256:" + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The examples that match {@code filter}, with the same taxonomy (for held-out splits). */
    public TrainingData filter(Predicate<LabelledExample> filter) {
        return new TrainingData(taxonomy, examples.stream().filter(filter).toList());
    }

    private static LabelledExample parseLine(Path file, int lineNumber, String line, Taxonomy taxonomy) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new ClassifierConfigException(file, lineNumber, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new ClassifierConfigException(file, lineNumber,
                    "expected a JSON object with text, category and source");
        }
        String text = requiredText(file, lineNumber, node, "text");
        String category = requiredText(file, lineNumber, node, "category");
        String source = requiredText(file, lineNumber, node, "source");
        if (!taxonomy.contains(category)) {
            throw new ClassifierConfigException(file, lineNumber, unknownCategory(category, taxonomy));
        }
        return new LabelledExample(text, category, source);
    }

    private static String requiredText(Path file, int lineNumber, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new ClassifierConfigException(file, lineNumber, "field '" + field + "' is missing");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new ClassifierConfigException(file, lineNumber,
                    "field '" + field + "' must be a non-blank string, but was " + value);
        }
        return value.asText();
    }

    private static String unknownCategory(String category, Taxonomy taxonomy) {
        return "unknown category '" + category + "'; known categories are " + taxonomy.ids();
    }
}
