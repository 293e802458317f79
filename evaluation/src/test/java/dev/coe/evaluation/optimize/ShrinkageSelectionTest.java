package dev.coe.evaluation.optimize;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ShrinkageSelectionTest {

    private static final List<ExpertCost> EXPERTS = List.of(new ExpertCost("steady", 1.0, null),
            new ExpertCost("coin", 1.0, null));

    /**
     * "steady" scores 0.6 on every prompt; "coin" is a fair coin everywhere (true quality 0.5), so any category where
     * it looks better than 0.6 looks so by luck. 40 categories of 5 prompts each leave plenty of lucky cells.
     */
    private static List<Observation> noisy(long seed) {
        Random random = new Random(seed);
        List<Observation> out = new ArrayList<>();
        for (int c = 0; c < 40; c++) {
            for (int i = 0; i < 5; i++) {
                out.add(new Observation("c" + c + "-" + i, null, "c" + c,
                        Map.of("steady", 0.6, "coin", random.nextBoolean() ? 1.0 : 0.0)));
            }
        }
        return out;
    }

    private static List<String> categories() {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < 40; c++) {
            out.add("c" + c);
        }
        return out;
    }

    @Test
    void should_choose_to_shrink_when_the_cells_are_small_and_the_differences_are_luck() {
        // when
        ShrinkageSelection.Result result = ShrinkageSelection.choose(noisy(7), categories(), EXPERTS,
                CostBasis.ACTIVE_PARAMS, 0.99, 1.0, ShrinkageSelection.DEFAULT_GRID);

        // then: unshrunk, the optimizer sends lucky categories to the coin and loses out of fold
        assertThat(result.chosen()).isGreaterThan(0);
        assertThat(result.byCandidate()).containsOnlyKeys(ShrinkageSelection.DEFAULT_GRID);
        assertThat(result.byCandidate().get(result.chosen()).mean())
                .isGreaterThan(result.byCandidate().get(0.0).mean());
    }

    @Test
    void should_keep_the_smallest_pseudo_count_when_every_candidate_does_as_well() {
        // given: one expert is best everywhere, whatever the shrinkage
        List<Observation> obs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            obs.add(new Observation("i" + i, null, i % 2 == 0 ? "a" : "b", Map.of("steady", 1.0, "coin", 0.0)));
        }

        ShrinkageSelection.Result result = ShrinkageSelection.choose(obs, List.of("a", "b"), EXPERTS,
                CostBasis.ACTIVE_PARAMS, 0.99, 1.0, ShrinkageSelection.DEFAULT_GRID);

        assertThat(result.chosen()).isZero();
        assertThat(result.byCandidate().values()).allSatisfy(e -> assertThat(e.mean()).isEqualTo(1.0));
    }
}
