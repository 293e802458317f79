package dev.coe.router.admin;

import dev.coe.classifier.Category;
import dev.coe.gateway.ExpertId;
import dev.coe.router.routing.RoutingTable;
import dev.coe.router.routing.RoutingTableLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingYamlTest {

    private static final Path REPO_CONFIG = Path.of("../config");
    private static final List<String> EXPERTS = List.of("local-moe", "ollama-llama", "openai-gpt-4o-mini", "claude-sonnet");
    private static final List<Category> TAXONOMY = List.of("writing", "roleplay", "reasoning", "math", "coding",
            "extraction", "stem", "humanities").stream().map(id -> new Category(id, id + " prompts")).toList();

    @Test
    void should_round_trip_the_repository_routing_yaml_through_the_loader_when_exported() throws IOException {
        // given
        String original = Files.readString(REPO_CONFIG.resolve("routing.yaml"));
        RoutingConfig config = RoutingYaml.read(original, TAXONOMY, EXPERTS);
        // when
        String exported = RoutingYaml.writeRouting(config, "exported\nby a test");
        // then
        assertThat(load(exported)).isEqualTo(load(original));
        assertThat(RoutingYaml.read(exported, TAXONOMY, EXPERTS)).isEqualTo(config);
        assertThat(exported).startsWith("# exported\n# by a test\n").contains("default-threshold: 0.3")
                .contains("category: coding").doesNotContain("\"");
    }

    @Test
    void should_seed_every_category_of_the_taxonomy_when_some_have_no_rule() {
        // given
        String yaml = """
                fallback-chain: [local-moe]
                rules:
                  - {category: math, chain: [claude-sonnet], threshold: 0.6}
                """;
        // when
        RoutingConfig config = RoutingYaml.read(yaml, TAXONOMY, EXPERTS);
        // then
        assertThat(config.routerModels()).containsExactly("auto");
        assertThat(config.defaultThreshold()).isEqualTo(0.0);
        assertThat(config.categories()).hasSize(8);
        assertThat(config.findCategory("math").orElseThrow()).isEqualTo(
                new CategoryConfig("math", "math prompts", 0.6, null, List.of("claude-sonnet")));
        assertThat(config.findCategory("coding").orElseThrow().hasRule()).isFalse();
        assertThat(config.experts()).isEqualTo(EXPERTS);
    }

    @Test
    void should_write_categories_yaml_with_the_descriptions_of_the_version() {
        RoutingConfig config = RoutingYaml.read("fallback-chain: [local-moe]\n", TAXONOMY, EXPERTS)
                .withCategory("coding", c -> new CategoryConfig("coding", "yes: tricky # text", null, null, null));
        String yaml = RoutingYaml.writeCategories(config, null);
        assertThat(yaml).startsWith("categories:\n- id: writing\n").contains("description: \"yes: tricky # text\"");
    }

    private static RoutingTable load(String yaml) {
        return RoutingTableLoader.parse(yaml, EXPERTS.stream().map(ExpertId::of).collect(Collectors.toSet()),
                TAXONOMY.stream().map(Category::id).collect(Collectors.toSet()));
    }
}
