package dev.coe.router.admin;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigDiffTest {

    @Test
    void should_list_only_the_changed_fields_when_a_chain_and_a_description_change() {
        // given
        RoutingConfig before = ConfigValidatorTest.valid();
        RoutingConfig after = before
                .withCategory("coding", c -> new CategoryConfig("coding", "software", c.threshold(), c.fallback(), List.of("c", "a")))
                .withCategory("math", c -> new CategoryConfig("math", c.description(), null, null, List.of("b")));
        // when
        List<ConfigDiff.Change> diff = ConfigDiff.between(before, after);
        // then
        assertThat(diff).containsExactly(
                new ConfigDiff.Change("categories[coding].description", "code", "software"),
                new ConfigDiff.Change("categories[coding].chain", List.of("a", "c"), List.of("c", "a")),
                new ConfigDiff.Change("categories[math].chain", null, List.of("b")));
    }

    @Test
    void should_be_empty_when_nothing_changed() {
        assertThat(ConfigDiff.between(ConfigValidatorTest.valid(), ConfigValidatorTest.valid())).isEmpty();
    }

    @Test
    void should_list_every_field_when_there_is_no_previous_version() {
        assertThat(ConfigDiff.between(null, ConfigValidatorTest.valid())).extracting(ConfigDiff.Change::path)
                .startsWith("routerModels", "defaultThreshold", "fallbackChain", "experts")
                .allSatisfy(path -> assertThat(path).isNotBlank());
    }
}
