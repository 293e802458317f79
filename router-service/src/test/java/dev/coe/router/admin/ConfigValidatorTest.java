package dev.coe.router.admin;

import dev.coe.router.expert.ExpertsFile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ConfigValidatorTest {

    private final ConfigValidator validator = new ConfigValidator(Set.of("a", "b", "c"), List.of("coding", "math"));

    static RoutingConfig valid() {
        return new RoutingConfig(List.of("auto"), List.of("a", "b"), 0.3, List.of(
                new CategoryConfig("coding", "code", 0.4, "b", List.of("a", "c")),
                new CategoryConfig("math", "sums", null, null, null)), List.of("a", "b", "c"));
    }

    @Test
    void should_accept_a_valid_config_when_every_reference_resolves() {
        assertThat(validator.validate(valid())).isEmpty();
    }

    @Test
    void should_list_every_problem_with_its_field_when_several_are_wrong() {
        // given
        RoutingConfig config = new RoutingConfig(List.of("auto", "auto"), List.of(), 1.2, List.of(
                new CategoryConfig("coding", "code", -0.5, "zed", List.of("a", "nobody", "a")),
                new CategoryConfig("coding", "again", null, null, List.of("a")),
                new CategoryConfig("poetry", "", null, null, List.of("a"))), List.of("a", "b", "b", "ghost"));
        // when
        List<FieldError> errors = validator.validate(config);
        // then
        assertThat(errors).extracting(FieldError::field, FieldError::code).containsExactlyInAnyOrder(
                tuple("experts[2]", "duplicate_id"),
                tuple("experts[3]", "unknown_expert"),
                tuple("routerModels[1]", "duplicate_id"),
                tuple("defaultThreshold", "threshold_out_of_range"),
                tuple("fallbackChain", "empty_chain"),
                tuple("categories[coding].threshold", "threshold_out_of_range"),
                tuple("categories[coding].fallback", "unknown_expert"),
                tuple("categories[coding].chain[1]", "unknown_expert"),
                tuple("categories[coding].chain[2]", "duplicate_expert"),
                tuple("categories[coding].id", "duplicate_id"),
                tuple("categories[poetry].id", "unknown_category"),
                tuple("categories", "missing_category"));
    }

    @Test
    void should_refuse_an_expert_in_a_chain_when_it_was_taken_out_of_routing() {
        // given c is defined in experts.yaml but not routable
        RoutingConfig config = valid().withExperts(List.of("a", "b"));
        // when
        List<FieldError> errors = validator.validate(config);
        // then
        assertThat(errors).extracting(FieldError::field).containsExactly("categories[coding].chain[1]");
    }

    @Test
    void should_refuse_a_threshold_when_the_category_has_no_rule() {
        RoutingConfig config = valid().withCategory("math", c -> new CategoryConfig("math", "", 0.5, null, null));
        assertThat(validator.validate(config)).extracting(FieldError::code).containsExactly("rule_required");
    }

    @Test
    void should_report_null_entries_when_json_sent_them() {
        List<String> chain = new ArrayList<>();
        chain.add(null);
        RoutingConfig config = valid().withCategory("coding", c -> new CategoryConfig("coding", "", null, null, chain));
        assertThat(validator.validate(config)).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo("unknown_expert");
            assertThat(error.message()).startsWith("categories[coding].chain[0] must name an expert, not null");
        });
    }

    @Test
    void should_report_a_null_category_by_its_place_when_json_sent_one() {
        // given
        List<CategoryConfig> categories = new ArrayList<>(valid().categories());
        categories.add(1, null);
        RoutingConfig config = new RoutingConfig(List.of("auto"), List.of("a"), 0.3, categories, List.of("a", "b", "c"));
        // when
        List<FieldError> errors = validator.validate(config);
        // then the other categories are still checked, and none is reported missing
        assertThat(errors).extracting(FieldError::field, FieldError::code).containsExactly(tuple("categories[1]", "required"));
    }

    @Test
    void should_list_where_an_expert_is_referenced_when_asked() {
        assertThat(valid().referencesTo("a")).containsExactly("fallbackChain", "categories[coding].chain");
        assertThat(valid().referencesTo("b")).containsExactly("fallbackChain", "categories[coding].fallback");
        assertThat(valid().referencesTo("c")).containsExactly("categories[coding].chain");
    }

    private static ExpertsFile.Entry expert(String id, String provider, String connectTimeout) {
        return new ExpertsFile.Entry(id, provider, "http://localhost:8000/v1", "m", null, null, null, connectTimeout, null,
                null, null, null, null, null);
    }

    @Test
    void should_check_the_experts_a_version_defines_instead_of_the_start_experts_when_it_defines_them() {
        // given a version that defines a, b and d (not c, which the router started with)
        RoutingConfig config = valid().withExpertDefinitions(new ExpertsFile(null, List.of(
                expert("a", "openai", null), expert("b", "ollama", null), expert("d", "openai", null))));
        // then c is unknown in it
        assertThat(validator.validate(config)).extracting(FieldError::field, FieldError::code).containsExactly(
                tuple("experts[2]", "unknown_expert"),
                tuple("categories[coding].chain[1]", "unknown_expert"));
    }

    @Test
    void should_report_each_bad_definition_once_when_ids_repeat_are_missing_or_fields_are_invalid() {
        RoutingConfig config = valid().withExpertDefinitions(new ExpertsFile(null, List.of(
                expert("a", "openai", null), expert("a", "openai", null), expert(null, "openai", null),
                expert("b", "telepathy", null), expert("c", "openai", "soon"))));

        List<FieldError> errors = validator.validate(config);

        assertThat(errors).extracting(FieldError::field, FieldError::code).containsExactly(
                tuple("expertDefinitions.experts[a].id", "duplicate_id"),
                tuple("expertDefinitions.experts[2].id", "required"),
                tuple("expertDefinitions.experts[b]", "invalid_expert"),
                tuple("expertDefinitions.experts[c]", "invalid_expert"));
        assertThat(errors.get(2).message()).contains("provider", "telepathy");
        assertThat(errors.get(3).message()).contains("connect-timeout", "soon");
    }

    @Test
    void should_refuse_an_unknown_cache_policy_and_one_on_a_category_without_rule() {
        RoutingConfig config = valid()
                .withCategory("coding", c -> new CategoryConfig("coding", "", null, null, c.chain(), "sometimes"))
                .withCategory("math", c -> new CategoryConfig("math", "", null, null, null, "off"));
        assertThat(validator.validate(config)).extracting(FieldError::field, FieldError::code).containsExactly(
                tuple("categories[coding].cache", "unknown_cache_policy"),
                tuple("categories[math].chain", "rule_required"));
    }
}
