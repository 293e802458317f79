package dev.coe.evaluation.optimize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DraftRoutingTest {

    private static final String LIVE = """
            router-models: [auto]
            fallback-chain: [small, big]
            default-threshold: 0.30
            rules:
              - category: math
                chain: [big, small]
                threshold: 0.35
              - category: writing
                chain: [small]
            """;

    @Test
    void should_put_the_chosen_expert_first_and_keep_the_live_fallbacks_when_drafting() throws Exception {
        // given
        Map<String, String> mapping = new LinkedHashMap<>();
        mapping.put("math", "small");
        mapping.put("writing", "small");
        mapping.put("roleplay", "big");

        // when
        String yaml = DraftRouting.yaml(mapping, Optional.of(LIVE), "made by a test\nsecond line");

        // then
        assertThat(yaml).startsWith("# made by a test\n# second line\n");
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        assertThat(root.path("fallback-chain").toString()).isEqualTo("[\"small\",\"big\"]");
        assertThat(root.path("default-threshold").asDouble()).isEqualTo(0.30);
        JsonNode rules = root.path("rules");
        assertThat(rules).hasSize(3);
        assertThat(rules.get(0).path("category").asText()).isEqualTo("math");
        assertThat(rules.get(0).path("chain").toString()).isEqualTo("[\"small\",\"big\"]");
        assertThat(rules.get(0).path("threshold").asDouble()).isEqualTo(0.35);
        assertThat(rules.get(1).path("chain").toString()).isEqualTo("[\"small\"]");
        assertThat(rules.get(2).path("chain").toString()).isEqualTo("[\"big\"]");
    }

    @Test
    void should_read_the_first_expert_of_each_chain_and_the_fallback_chain_for_the_rest_as_the_live_mapping() {
        Map<String, String> live = DraftRouting.liveMapping(LIVE, List.of("math", "writing", "roleplay"));

        assertThat(live).containsExactly(Map.entry("math", "big"), Map.entry("writing", "small"),
                Map.entry("roleplay", "small"));
    }

    @Test
    void should_fail_with_a_clear_error_when_the_live_file_is_not_yaml() {
        assertThatThrownBy(() -> DraftRouting.yaml(Map.of("math", "x"), Optional.of("rules: [unclosed"), ""))
                .isInstanceOf(OptimizerException.InvalidInput.class).hasMessageContaining("routing.yaml");
    }
}
