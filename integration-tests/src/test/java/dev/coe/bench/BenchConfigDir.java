package dev.coe.bench;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the router's config directory for a benchmark: the repository's categories and classifier
 * examples (so {@code model: "auto"} classifies exactly as in production), the benchmark's experts, and a
 * routing table that sends every category along one chain. For the latency benchmark that is one expert
 * {@code sim} pointing at the {@link SimulatedExpertServer}. Stateless.
 */
final class BenchConfigDir {

    /** The id of the one expert the benchmark's router knows. */
    static final String EXPERT_ID = "sim";

    private BenchConfigDir() {
    }

    /**
     * @param source the repository's {@code config/}
     * @throws UncheckedIOException when a file cannot be read or written
     * @throws IllegalArgumentException when {@code source} has no categories
     */
    static Path write(Path target, Path source, URI expertBaseUrl, String expertModel) {
        return write(target, source, expertsYaml(expertBaseUrl, expertModel), List.of(EXPERT_ID), "RouterOverheadBenchmark");
    }

    /**
     * Writes {@code expertsYaml} as it is, and a routing table whose every category, and the chain for uncertain
     * classifications, is {@code chain}.
     *
     * @param source    the repository's {@code config/}
     * @param writtenBy the benchmark, named in the files' first comment
     * @throws UncheckedIOException when a file cannot be read or written
     * @throws IllegalArgumentException when {@code source} has no categories
     */
    static Path write(Path target, Path source, String expertsYaml, List<String> chain, String writtenBy) {
        try {
            Files.createDirectories(target);
            Files.copy(source.resolve("categories.yaml"), target.resolve("categories.yaml"));
            copyTree(source.resolve("classifier"), target.resolve("classifier"));
            Files.writeString(target.resolve("experts.yaml"), expertsYaml);
            Files.writeString(target.resolve("routing.yaml"), routingYaml(categoryIds(source.resolve("categories.yaml")), chain, writtenBy));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the benchmark's config to " + target, e);
        }
    }

    private static String expertsYaml(URI baseUrl, String model) {
        return """
                # Written by RouterOverheadBenchmark: the one expert is the benchmark's simulated OpenAI-compatible server.
                # Timeouts are left at their defaults; no request of the benchmark comes near them.
                experts:
                  - id: %s
                    description: Simulated expert served over HTTP by the latency benchmark.
                    provider: openai
                    base-url: %s
                    model: %s
                """.formatted(EXPERT_ID, baseUrl, model);
    }

    private static String routingYaml(List<String> categories, List<String> chain, String writtenBy) {
        String experts = String.join(", ", chain);
        StringBuilder yaml = new StringBuilder("""
                # Written by %s: every category goes along the same chain.
                router-models: [auto]
                fallback-chain: [%s]
                default-threshold: 0.30
                rules:
                """.formatted(writtenBy, experts));
        for (String category : categories) {
            yaml.append("  - category: ").append(category).append('\n')
                    .append("    chain: [").append(experts).append("]\n");
        }
        return yaml.toString();
    }

    private static List<String> categoryIds(Path categoriesYaml) throws IOException {
        JsonNode root = YAMLMapper.builder().build().readTree(Files.readString(categoriesYaml));
        List<String> ids = new ArrayList<>();
        for (JsonNode category : root.path("categories")) {
            ids.add(category.path("id").asString());
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException(categoriesYaml + " lists no categories under 'categories'");
        }
        return ids;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path copy = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
            }
        }
    }
}
