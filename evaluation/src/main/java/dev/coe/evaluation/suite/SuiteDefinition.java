package dev.coe.evaluation.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A suite file ({@code config/evaluation/*.yaml}): which data in which format, the experts (recorded models
 * and their costs), the routing table the replay router uses, and the regression gate. Users add suites by
 * adding files; see {@code config/evaluation/README.md}. Immutable.
 *
 * @param routing     the replay router's {@code routing.yaml}, verbatim; null when {@code routingFit} is set
 * @param routingFit  {@code training-split}: the table is fitted at run time on the suite's training split
 *                    (MMLU-Pro only): best expert per category, never on the evaluated rows
 * @param minScore    the gate: the router's overall score must not drop below it (null: no threshold)
 */
public record SuiteDefinition(String name, SuiteFormat format, String description, Path dataDir,
                              List<ExpertSpec> experts, String routing, String routingFit, Double minScore) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public SuiteDefinition {
        experts = List.copyOf(experts);
        if (experts.isEmpty()) {
            throw new InvalidSuiteException("suite " + name + ": experts must list at least one expert");
        }
        if ((routing == null) == (routingFit == null)) {
            throw new InvalidSuiteException("suite " + name + ": set exactly one of routing and routing-fit");
        }
        if (routingFit != null && !(routingFit.equals("training-split") && format == SuiteFormat.MMLU_PRO)) {
            throw new InvalidSuiteException("suite " + name
                    + ": routing-fit must be training-split and is only defined for mmlu-pro, but was " + routingFit);
        }
    }

    /**
     * Reads a suite file; its {@code data} path is resolved against {@code dataRoot} (the shared data directory).
     *
     * @throws InvalidSuiteException when the file cannot be read or a field is missing or malformed
     */
    public static SuiteDefinition load(Path file, Path dataRoot) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new InvalidSuiteException("cannot read suite file " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidSuiteException("suite file " + file + " is not a YAML mapping");
        }
        String name = required(root, "name", file);
        List<ExpertSpec> experts = new ArrayList<>();
        for (JsonNode e : root.path("experts")) {
            // model: the recorded model in replay mode; a live suite may leave it out (the expert id is used)
            String id = required(e, "id", file);
            experts.add(new ExpertSpec(id, e.hasNonNull("model") ? e.get("model").asText() : id,
                    number(e, "active-params-b"), number(e, "price-per-m-tokens")));
        }
        return new SuiteDefinition(name, SuiteFormat.of(required(root, "format", file)), root.path("description").asText(""),
                dataRoot.resolve(required(root, "data", file)).normalize(), experts,
                root.hasNonNull("routing") ? root.get("routing").asText() : null,
                root.hasNonNull("routing-fit") ? root.get("routing-fit").asText() : null,
                number(root.path("gate"), "min-score"));
    }

    /** The expert whose id is {@code id}. @throws InvalidSuiteException when the suite has none */
    public ExpertSpec expert(String id) {
        return experts.stream().filter(e -> e.id().equals(id)).findFirst()
                .orElseThrow(() -> new InvalidSuiteException("suite " + name + " has no expert " + id));
    }

    private static String required(JsonNode node, String field, Path file) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            throw new InvalidSuiteException("suite file " + file + ": " + field + " must be set");
        }
        return v.asText();
    }

    private static Double number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new InvalidSuiteException(field + " must be a number, but was " + v);
        }
        return v.asDouble();
    }
}
