package dev.coe.classifier.evaluation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CalibrationErrorTest {

    @Test
    void should_weigh_each_bins_gap_by_its_share_when_confidences_fall_in_two_bins() {
        // given: 0.9 falls in bin 13 (0.867, 0.933], 0.6 in bin 8 (0.533, 0.6]
        double[] confidence = {0.9, 0.9, 0.6, 0.6};
        boolean[] correct = {true, false, true, true};

        // when
        double ece = CalibrationError.expected(confidence, correct);

        // then: bin 13: |0.5 - 0.9| * 2/4 = 0.2; bin 8: |1.0 - 0.6| * 2/4 = 0.2
        assertThat(ece).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void should_be_zero_when_confidence_equals_accuracy_in_every_bin() {
        // given
        double[] confidence = {0.75, 0.75, 0.75, 0.75, 1.0};
        boolean[] correct = {true, true, true, false, true};

        // when / then
        assertThat(CalibrationError.expected(confidence, correct)).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void should_throw_illegal_argument_when_a_confidence_is_outside_zero_to_one() {
        assertThatThrownBy(() -> CalibrationError.expected(new double[] {1.2}, new boolean[] {true}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.2");
    }

    @Test
    void should_report_macro_f1_and_end_with_a_json_summary_when_predictions_are_added() {
        // given
        EvaluationReport report = new EvaluationReport(List.of("a", "b"));

        // when
        report.add("a", "a", 0.9, 1_000_000);
        report.add("a", "b", 0.6, 2_000_000);
        report.add("b", "b", 0.8, 3_000_000);

        // then: F1(a) = 2*1*0.5/1.5 = 0.667, F1(b) = 2*0.5*1/1.5 = 0.667
        assertThat(report.accuracy()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(report.macroF1()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(report.latencyMillis(0.5)).isEqualTo(2.0);
        assertThat(report.summaryJson()).startsWith("{\"accuracy\": 0.6667, \"macro_f1\": 0.6667, \"ece\": ")
                .endsWith("\"n\": 3}");
    }
}
