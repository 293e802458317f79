package dev.coe.classifier.training;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SoftmaxRegressionTest {

    @Test
    void should_separate_three_clusters_with_a_distribution_summing_to_one_when_trained_on_them() {
        // given: three Gaussian clusters in 5 dimensions
        Random random = new Random(7);
        float[][] x = new float[150][5];
        int[] y = new int[150];
        for (int i = 0; i < x.length; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 5; j++) {
                x[i][j] = (float) ((j == y[i] ? 3 : 0) + random.nextGaussian());
            }
        }

        // when
        SoftmaxRegression.Model model = SoftmaxRegression.fit(x, y, 3, 0.01, 500);

        // then
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            double[] p = SoftmaxRegression.softmax(model.logits(x[i]), 1.0);
            assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, within(1e-9));
            correct += CalibratedTraining.argmax(p) == y[i] ? 1 : 0;
        }
        assertThat(correct).isGreaterThan(135);
    }

    @Test
    void should_throw_illegal_argument_when_a_label_is_out_of_range() {
        assertThatThrownBy(() -> SoftmaxRegression.fit(new float[][] {{1f}}, new int[] {3}, 2, 0.1, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label");
    }

    @Test
    void should_fit_a_temperature_above_one_when_the_logits_are_overconfident() {
        // given: logits that always give 0.99+ but are right only 3 times in 5
        double[][] logits = {{6, 0}, {6, 0}, {6, 0}, {6, 0}, {6, 0}};
        int[] labels = {0, 0, 0, 1, 1};

        // when
        double temperature = TemperatureScaling.fit(logits, labels);

        // then: softmax(6/T) = 0.6 at the optimum, T = 6 / ln(1.5)
        assertThat(temperature).isCloseTo(6 / Math.log(1.5), within(0.01));
        assertThat(TemperatureScaling.nll(logits, labels, temperature))
                .isLessThan(TemperatureScaling.nll(logits, labels, 1.0));
    }
}
