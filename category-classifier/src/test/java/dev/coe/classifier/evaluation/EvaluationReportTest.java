package dev.coe.classifier.evaluation;

import dev.coe.classifier.Classification;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EvaluationReportTest {

    @Test
    void should_count_an_alternative_label_only_in_the_lenient_accuracy_when_it_is_predicted() {
        // given
        EvaluationReport report = new EvaluationReport(List.of("a", "b", "c"));

        // when
        report.add("a", List.of("b"), "b", 0.9, 1);
        report.add("a", List.of(), "a", 0.9, 1);
        report.add("c", List.of("a"), "b", 0.9, 1);

        // then
        assertThat(report.accuracy()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(report.lenientAccuracy()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(report.summaryJson()).contains("\"lenient_accuracy\": 0.6667").endsWith("\"n\": 3}");
        assertThat(report.text()).contains("lenient accuracy (alternative label accepted)=0.667");
    }

    @Test
    void should_give_the_wilson_interval_of_the_accuracy_when_asked_how_sure_it_is() {
        // given: 68 of 80 right, MT-Bench's size and the current model's score; and 10 of 10
        EvaluationReport mtBench = new EvaluationReport(List.of("a", "b"));
        EvaluationReport allRight = new EvaluationReport(List.of("a", "b"));
        for (int i = 0; i < 80; i++) {
            mtBench.add("a", List.of(), i < 68 ? "a" : "b", 0.9, 1);
        }
        for (int i = 0; i < 10; i++) {
            allRight.add("a", List.of(), "a", 0.9, 1);
        }

        // when / then: the values of the closed form, computed apart (Python) for these counts
        assertThat(mtBench.accuracyInterval95()).containsExactly(new double[] {0.75587, 0.91206}, within(1e-5));
        assertThat(allRight.accuracyInterval95()).containsExactly(new double[] {0.72247, 1.0}, within(1e-5));
        assertThat(mtBench.summaryJson()).contains("\"accuracy_ci95\": [0.7559, 0.9121]");
        assertThat(mtBench.text()).contains("accuracy=0.850 (95 % interval 0.756-0.912)");
    }

    @Test
    void should_count_unlabelled_prompts_in_the_mix_and_uncertain_rate_but_not_in_accuracy() {
        // given: threshold 0.5
        EvaluationReport report = new EvaluationReport(List.of("a", "b"), 0.5);

        // when
        report.add("a", "a", 0.9, 1);
        report.add("b", "a", 0.4, 1);
        report.addUnlabelled("b", 0.3);
        report.addUnlabelled("b", 0.8);

        // then: 2 of 4 prompts below 0.5; accuracy over the 2 labelled ones
        assertThat(report.size()).isEqualTo(2);
        assertThat(report.accuracy()).isCloseTo(0.5, within(1e-12));
        assertThat(report.uncertainRate()).isCloseTo(0.5, within(1e-12));
        assertThat(report.predictedCounts()).containsExactly(java.util.Map.entry("a", 2), java.util.Map.entry("b", 2));
        assertThat(report.summaryJson()).contains("\"uncertain_rate\": 0.5000", "\"unlabelled\": 2")
                .doesNotContain("lenient_accuracy").endsWith("\"n\": 2}");
        assertThat(report.text()).contains("predicted categories over all 4 prompts (2 unlabelled included)")
                .contains("accuracy 1.000 on the 1 confident, 0.000 on the 1 uncertain");
    }

    @Test
    void should_count_a_foreign_script_prompt_as_uncertain_whatever_its_confidence_when_given_the_classification() {
        // given: threshold 0.3, as the router's
        EvaluationReport report = new EvaluationReport(List.of("a", "b"), 0.3);
        Classification sure = new Classification("a", 0.9, java.util.Map.of("a", 0.9, "b", 0.1));

        // when: the same answer for a Latin-script prompt and for a foreign-script one, and an unlabelled foreign one
        report.add("a", List.of(), sure, 1);
        report.add("a", List.of(), sure.withForeignScript(true), 1);
        report.addUnlabelled(sure.withForeignScript(true));

        // then: 2 of the 3 would take the fallback chain; accuracy and confidence are as computed
        assertThat(report.uncertainRate()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(report.accuracy()).isEqualTo(1.0);
        assertThat(report.text()).contains("uncertain (confidence < 0.30, or a foreign script): 66.7 % of 3 prompts")
                .contains("accuracy 1.000 on the 1 confident, 1.000 on the 1 uncertain");
    }
}
