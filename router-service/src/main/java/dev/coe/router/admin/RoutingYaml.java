package dev.coe.router.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.coe.classifier.Category;
import dev.coe.router.expert.ExpertsFile;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Converts between {@link RoutingConfig} and the files of {@code config/}: reads {@code routing.yaml} to seed the
 * first version, and writes any version back as {@code routing.yaml} and {@code categories.yaml} in the same format,
 * so an export can be dropped into {@code config/} and loads through {@code RoutingTableLoader}. Stateless.
 */
final class RoutingYaml {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLWriteFeature.SPLIT_LINES)
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    /** Threshold of a routing.yaml without {@code default-threshold}, as RoutingTableLoader applies it. */
    private static final double DEFAULT_THRESHOLD = 0.0;

    @JsonPropertyOrder({"router-models", "fallback-chain", "default-threshold", "rules"})
    record RoutingFile(List<String> routerModels, List<String> fallbackChain, Double defaultThreshold, List<Rule> rules) {
    }

    @JsonPropertyOrder({"category", "chain", "threshold", "fallback", "cache"})
    record Rule(String category, List<String> chain, Double threshold, String fallback, String cache) {
    }

    record CategoriesFile(List<CategoryEntry> categories) {
    }

    @JsonPropertyOrder({"id", "description"})
    record CategoryEntry(String id, String description) {
    }

    private RoutingYaml() {
    }

    /**
     * The configuration held by {@code routing.yaml}, with every category of the taxonomy and every expert.
     *
     * @throws IllegalArgumentException when the text is not a routing file
     */
    static RoutingConfig read(String routingYaml, List<Category> taxonomy, List<String> experts) {
        return read(routingYaml, taxonomy, experts, null);
    }

    /** As {@link #read(String, List, List)}, with the experts as {@code experts.yaml} defines them. */
    static RoutingConfig read(String routingYaml, List<Category> taxonomy, List<String> experts, ExpertsFile definitions) {
        RoutingFile file;
        try {
            file = YAML.readValue(routingYaml, RoutingFile.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("routing.yaml is not valid: " + e.getOriginalMessage(), e);
        }
        if (file == null) {
            throw new IllegalArgumentException("routing.yaml is empty");
        }
        Map<String, Rule> rules = (file.rules() == null ? List.<Rule>of() : file.rules()).stream()
                .collect(Collectors.toMap(Rule::category, Function.identity(), (a, b) -> a));
        List<CategoryConfig> categories = taxonomy.stream().map(c -> {
            Rule rule = rules.get(c.id());
            return rule == null ? new CategoryConfig(c.id(), c.description(), null, null, null)
                    : new CategoryConfig(c.id(), c.description(), rule.threshold(), rule.fallback(), rule.chain(), rule.cache());
        }).toList();
        return new RoutingConfig(file.routerModels() == null ? List.of("auto") : file.routerModels(), file.fallbackChain(),
                file.defaultThreshold() == null ? DEFAULT_THRESHOLD : file.defaultThreshold(), categories, experts, definitions);
    }

    /** {@code routing.yaml} for {@code config}, preceded by {@code header} as comment lines. */
    static String writeRouting(RoutingConfig config, String header) {
        List<Rule> rules = config.categories().stream().filter(CategoryConfig::hasRule)
                .map(c -> new Rule(c.id(), c.chain(), c.threshold(), c.fallback(), c.cache())).toList();
        return comment(header) + YAML.writeValueAsString(
                new RoutingFile(config.routerModels(), config.fallbackChain(), config.defaultThreshold(), rules));
    }

    /** {@code categories.yaml} for {@code config}: the taxonomy with the descriptions of this version. */
    static String writeCategories(RoutingConfig config, String header) {
        return comment(header) + YAML.writeValueAsString(new CategoriesFile(
                config.categories().stream().map(c -> new CategoryEntry(c.id(), c.description())).toList()));
    }

    /**
     * {@code experts.yaml} for {@code config}: its expert definitions with their defaults, or empty when the version
     * predates versioned experts.
     */
    static Optional<String> writeExperts(RoutingConfig config, String header) {
        return Optional.ofNullable(config.expertDefinitions()).map(d -> comment(header) + YAML.writeValueAsString(d));
    }

    private static String comment(String header) {
        if (header == null || header.isBlank()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        // Every line of a free-text comment is prefixed, so a newline in it cannot inject YAML.
        header.lines().forEach(line -> out.append("# ").append(line).append('\n'));
        return out.toString();
    }
}
