package dev.coe.router.admin;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

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
                org.assertj.core.groups.Tuple.tuple("experts[2]", "duplicate_id"),
                org.assertj.core.groups.Tuple.tuple("experts[3]", "unknown_expert"),
                org.assertj.core.groups.Tuple.tuple("routerModels[1]", "duplicate_id"),
                org.assertj.core.groups.Tuple.tuple("defaultThreshold", "threshold_out_of_range"),
                org.assertj.core.groups.Tuple.tuple("fallbackChain", "empty_chain"),
                org.assertj.core.groups.Tuple.tuple("categories[coding].threshold", "threshold_out_of_range"),
                org.assertj.core.groups.Tuple.tuple("categories[coding].fallback", "unknown_expert"),
                org.assertj.core.groups.Tuple.tuple("categories[coding].chain[1]", "unknown_expert"),
                org.assertj.core.groups.Tuple.tuple("categories[coding].chain[2]", "duplicate_expert"),
                org.assertj.core.groups.Tuple.tuple("categories[coding].id", "duplicate_id"),
                org.assertj.core.groups.Tuple.tuple("categories[poetry].id", "unknown_category"),
                org.assertj.core.groups.Tuple.tuple("categories", "missing_category"));
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
        assertThat(validator.validate(config)).extracting(FieldError::code).containsExactly("unknown_expert");
    }

    @Test
    void should_list_where_an_expert_is_referenced_when_asked() {
        assertThat(valid().referencesTo("a")).containsExactly("fallbackChain", "categories[coding].chain");
        assertThat(valid().referencesTo("b")).containsExactly("fallbackChain", "categories[coding].fallback");
        assertThat(valid().referencesTo("c")).containsExactly("categories[coding].chain");
    }
}
