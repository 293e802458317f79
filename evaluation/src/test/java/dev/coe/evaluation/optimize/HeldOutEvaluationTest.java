package dev.coe.evaluation.optimize;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HeldOutEvaluationTest {

    private static final Map<String, Double> COSTS = Map.of("mathy", 10.0, "wordy", 2.0);

    @Test
    void should_route_by_the_predicted_category_when_the_classifier_is_wrong() {
        // given: a math prompt the classifier calls writing goes to the writing expert and earns its score
        Mapping mapping = new Mapping(Map.of("math", "mathy", "writing", "wordy"), 0, 0);
        List<Observation> heldOut = List.of(
                new Observation("a", "math", "math", Map.of("mathy", 1.0, "wordy", 0.0)),
                new Observation("b", "math", "writing", Map.of("mathy", 1.0, "wordy", 0.0)));

        // when
        HeldOutEvaluation.Result routed = HeldOutEvaluation.evaluate(mapping, heldOut, COSTS);
        HeldOutEvaluation.Result known = HeldOutEvaluation.evaluate(mapping, heldOut, COSTS, Observation::trueCategory);

        // then: the classifier's confusion costs half the quality and halves the cost
        assertThat(routed.quality().mean()).isEqualTo(0.5);
        assertThat(routed.quality().count()).isEqualTo(2);
        assertThat(routed.cost().mean()).isEqualTo(6.0);
        assertThat(known.quality().mean()).isEqualTo(1.0);
        assertThat(known.cost().mean()).isEqualTo(10.0);
    }

    @Test
    void should_leave_out_and_count_prompts_when_the_routed_expert_has_no_score() {
        Mapping mapping = new Mapping(Map.of("math", "mathy"), 0, 0);
        List<Observation> heldOut = List.of(
                new Observation("a", null, "math", Map.of("mathy", 1.0)),
                new Observation("b", null, "math", Map.of("wordy", 1.0)));

        HeldOutEvaluation.Result result = HeldOutEvaluation.evaluate(mapping, heldOut, COSTS);

        assertThat(result.quality().count()).isEqualTo(1);
        assertThat(result.unscored()).isEqualTo(1);
        assertThat(result.cost().count()).isEqualTo(2);
    }

    @Test
    void should_give_the_paired_difference_with_its_standard_error_when_two_mappings_are_compared() {
        // given: mapping a beats b on 2 of 4 prompts and ties on the rest
        Mapping a = new Mapping(Map.of("math", "mathy"), 0, 0);
        Mapping b = new Mapping(Map.of("math", "wordy"), 0, 0);
        List<Observation> heldOut = List.of(
                new Observation("1", null, "math", Map.of("mathy", 1.0, "wordy", 0.0)),
                new Observation("2", null, "math", Map.of("mathy", 1.0, "wordy", 0.0)),
                new Observation("3", null, "math", Map.of("mathy", 1.0, "wordy", 1.0)),
                new Observation("4", null, "math", Map.of("mathy", 0.0, "wordy", 0.0)));

        Estimate diff = HeldOutEvaluation.difference(a, b, heldOut);

        // then: differences 1,1,0,0: mean 0.5, sd √(1/3), se √(1/3)/2
        assertThat(diff.mean()).isEqualTo(0.5);
        assertThat(diff.standardError()).isCloseTo(Math.sqrt(1.0 / 3) / 2, within(1e-12));
        assertThat(diff.count()).isEqualTo(4);
    }
}
