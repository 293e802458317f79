package dev.coe.evaluation.optimize;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class QualityTableTest {

    private static final List<String> CATEGORIES = List.of("math", "writing");
    private static final List<String> EXPERTS = List.of("x", "y");

    @Test
    void should_measure_each_cell_with_count_and_standard_error_when_fitted() {
        // given: three prompts predicted math, one writing; y was not scored on one math prompt
        List<Observation> obs = List.of(
                new Observation("1", "math", "math", Map.of("x", 1.0, "y", 0.0)),
                new Observation("2", "math", "math", Map.of("x", 0.0, "y", 1.0)),
                new Observation("3", "writing", "math", Map.of("x", 1.0)),
                new Observation("4", "writing", "writing", Map.of("x", 0.0, "y", 1.0)));

        // when
        QualityTable table = QualityTable.fit(obs, CATEGORIES, EXPERTS, Observation::predictedCategory);

        // then
        assertThat(table.share("math")).isEqualTo(0.75);
        assertThat(table.share("writing")).isEqualTo(0.25);
        Estimate mathX = table.cell("math", "x");
        assertThat(mathX.count()).isEqualTo(3);
        assertThat(mathX.mean()).isCloseTo(2.0 / 3, within(1e-12));
        // sample sd of {1,0,1} is √(1/3); se = sd/√3 = 1/3
        assertThat(mathX.standardError()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(table.cell("math", "y").count()).isEqualTo(2);
        assertThat(table.cell("writing", "y").standardError()).isNaN();
        assertThat(table.overall("y").mean()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void should_key_cells_by_true_category_when_asked_for_the_known_categories_baseline() {
        List<Observation> obs = List.of(
                new Observation("1", "math", "writing", Map.of("x", 1.0)),
                new Observation("2", null, "writing", Map.of("x", 0.0)));

        QualityTable table = QualityTable.fit(obs, CATEGORIES, EXPERTS, Observation::trueCategory);

        assertThat(table.share("math")).isEqualTo(1.0);
        assertThat(table.cell("math", "x").count()).isEqualTo(1);
    }

    @Test
    void should_reweight_by_live_traffic_when_counts_are_given() {
        QualityTable table = QualityTable.fit(List.of(new Observation("1", null, "math", Map.of("x", 1.0)),
                new Observation("2", null, "writing", Map.of("x", 1.0))), CATEGORIES, EXPERTS, Observation::predictedCategory);

        QualityTable live = table.withTraffic(Map.of("math", 30, "writing", 10));

        assertThat(live.share("math")).isEqualTo(0.75);
        assertThat(table.share("math")).isEqualTo(0.5);
        assertThatThrownBy(() -> table.withTraffic(Map.of("poetry", 3)))
                .isInstanceOf(OptimizerException.InvalidInput.class).hasMessageContaining("poetry");
        assertThatThrownBy(() -> table.withTraffic(Map.of("math", -1)))
                .isInstanceOf(OptimizerException.InvalidInput.class).hasMessageContaining("math");
    }

    @Test
    void should_pull_small_cells_toward_the_experts_overall_quality_when_shrunk() {
        // given: x scores 1 on the single writing prompt, 0.25 overall (1 of 4)
        List<Observation> obs = List.of(
                new Observation("1", null, "math", Map.of("x", 0.0)),
                new Observation("2", null, "math", Map.of("x", 0.0)),
                new Observation("3", null, "math", Map.of("x", 0.0)),
                new Observation("4", null, "writing", Map.of("x", 1.0)));
        QualityTable table = QualityTable.fit(obs, CATEGORIES, List.of("x"), Observation::predictedCategory);

        // when
        QualityTable shrunk = table.shrunk(3);

        // then: (1 · 1 + 3 · 0.25) / (1 + 3); the measured cell is unchanged
        assertThat(shrunk.expected(1, 0)).isCloseTo(1.75 / 4, within(1e-12));
        assertThat(shrunk.expected(0, 0)).isCloseTo(0.75 / 6, within(1e-12));
        assertThat(table.expected(1, 0)).isEqualTo(1.0);
        assertThat(shrunk.cell("writing", "x").mean()).isEqualTo(1.0);
        assertThatThrownBy(() -> table.shrunk(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_name_the_item_when_its_category_is_not_in_the_taxonomy() {
        assertThatThrownBy(() -> QualityTable.fit(List.of(new Observation("q7", null, "poetry", Map.of())), CATEGORIES,
                EXPERTS, Observation::predictedCategory))
                .isInstanceOf(OptimizerException.InvalidInput.class)
                .hasMessageContaining("q7").hasMessageContaining("poetry");
        assertThatThrownBy(() -> QualityTable.fit(List.of(), CATEGORIES, EXPERTS, Observation::predictedCategory))
                .isInstanceOf(OptimizerException.InvalidInput.class);
    }

    @Test
    void should_refuse_a_score_that_is_not_finite() {
        assertThatThrownBy(() -> new Observation("q1", null, "math", Map.of("x", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("q1");
    }
}
