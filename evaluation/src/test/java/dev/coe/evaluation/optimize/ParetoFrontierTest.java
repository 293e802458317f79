package dev.coe.evaluation.optimize;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParetoFrontierTest {

    private static final AtomicInteger SEEDS = new AtomicInteger(1);

    @Test
    void should_pick_the_cheap_expert_where_it_is_as_good_when_the_budget_is_tight() {
        // given: "big" is better at math only; "small" costs a fifth
        List<Observation> obs = List.of(
                obs("m1", "math", Map.of("small", 0.0, "big", 1.0)),
                obs("m2", "math", Map.of("small", 1.0, "big", 1.0)),
                obs("w1", "writing", Map.of("small", 1.0, "big", 1.0)),
                obs("w2", "writing", Map.of("small", 1.0, "big", 1.0)));
        QualityTable table = QualityTable.fit(obs, List.of("math", "writing"), List.of("small", "big"),
                Observation::predictedCategory);
        List<ExpertCost> costs = List.of(new ExpertCost("small", 10.0, null), new ExpertCost("big", 50.0, null));

        // when
        ParetoFrontier frontier = ParetoFrontier.of(table, costs, CostBasis.ACTIVE_PARAMS);

        // then: three points: all small (10, 0.75); big on math only (30, 1.0); nothing else is non-dominated
        assertThat(frontier.points()).extracting(Mapping::cost).containsExactly(10.0, 30.0);
        assertThat(frontier.points()).extracting(Mapping::quality).containsExactly(0.75, 1.0);
        assertThat(frontier.best(29.9).orElseThrow().expertByCategory())
                .containsExactly(Map.entry("math", "small"), Map.entry("writing", "small"));
        assertThat(frontier.best(30).orElseThrow().expertByCategory())
                .containsExactly(Map.entry("math", "big"), Map.entry("writing", "small"));
        assertThat(frontier.best(9.99)).isEmpty();
    }

    @Test
    void should_leave_out_experts_without_a_cost_when_the_basis_is_active_parameters() {
        // given: the closed model is the best, but has no parameter count
        List<Observation> obs = List.of(obs("a", "math", Map.of("open", 0.5, "closed", 1.0)));
        QualityTable table = QualityTable.fit(obs, List.of("math"), List.of("open", "closed"), Observation::predictedCategory);

        // when
        ParetoFrontier frontier = ParetoFrontier.of(table,
                List.of(new ExpertCost("open", 7.0, 0.2), new ExpertCost("closed", null, 3.0)), CostBasis.ACTIVE_PARAMS);
        ParetoFrontier byPrice = ParetoFrontier.of(table,
                List.of(new ExpertCost("open", 7.0, 0.2), new ExpertCost("closed", null, 3.0)), CostBasis.PRICE);

        // then
        assertThat(frontier.excluded()).containsOnlyKeys("closed");
        assertThat(frontier.points()).hasSize(1);
        assertThat(frontier.points().getFirst().expert("math")).isEqualTo("open");
        assertThat(byPrice.excluded()).isEmpty();
        assertThat(byPrice.points()).extracting(m -> m.expert("math")).containsExactly("open", "closed");
    }

    @Test
    void should_give_a_category_without_traffic_the_best_overall_expert_within_the_points_cost() {
        // given: no observation is predicted "roleplay"
        List<Observation> obs = List.of(
                obs("a", "math", Map.of("small", 0.2, "big", 0.9)),
                obs("b", "writing", Map.of("small", 0.8, "big", 0.9)));
        QualityTable table = QualityTable.fit(obs, List.of("math", "writing", "roleplay"), List.of("small", "big"),
                Observation::predictedCategory);
        List<ExpertCost> costs = List.of(new ExpertCost("small", 1.0, null), new ExpertCost("big", 4.0, null));

        // when
        ParetoFrontier frontier = ParetoFrontier.of(table, costs, CostBasis.ACTIVE_PARAMS);

        // then: the cheap points cannot afford "big" on average, the dearest can
        assertThat(table.share("roleplay")).isZero();
        assertThat(frontier.points().getFirst().expert("roleplay")).isEqualTo("small");
        assertThat(frontier.points().getLast().cost()).isEqualTo(4.0);
        assertThat(frontier.points().getLast().expert("roleplay")).isEqualTo("big");
    }

    @Test
    void should_not_choose_an_expert_for_a_category_when_it_was_scored_on_too_few_of_its_items() {
        // given: "gappy" looks perfect in math, but has no score on the one math prompt it would have failed
        List<Observation> obs = List.of(
                obs("m1", "math", Map.of("full", 0.5, "gappy", 1.0)),
                obs("m2", "math", Map.of("full", 0.5)),
                obs("w1", "writing", Map.of("full", 0.5, "gappy", 1.0)));
        QualityTable table = QualityTable.fit(obs, List.of("math", "writing"), List.of("full", "gappy"),
                Observation::predictedCategory);
        List<ExpertCost> costs = List.of(new ExpertCost("full", 1.0, null), new ExpertCost("gappy", 1.0, null));

        // when
        ParetoFrontier strict = ParetoFrontier.of(table, costs, CostBasis.ACTIVE_PARAMS);
        ParetoFrontier lenient = ParetoFrontier.of(table, costs, CostBasis.ACTIVE_PARAMS, 0.5);

        // then
        assertThat(table.coverage("math", "gappy")).isEqualTo(0.5);
        assertThat(strict.points()).singleElement().satisfies(m -> {
            assertThat(m.expert("math")).isEqualTo("full");
            assertThat(m.expert("writing")).isEqualTo("gappy");
        });
        assertThat(strict.canServeAlone("gappy")).isFalse();
        assertThat(strict.canServeAlone("full")).isTrue();
        assertThat(lenient.points().getLast().expert("math")).isEqualTo("gappy");
        assertThatThrownBy(() -> ParetoFrontier.of(table, costs, CostBasis.ACTIVE_PARAMS, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minCoverage");
    }

    @Test
    void should_refuse_when_a_category_with_traffic_has_no_priced_expert() {
        QualityTable table = QualityTable.fit(List.of(obs("a", "math", Map.of("closed", 1.0))), List.of("math"),
                List.of("closed"), Observation::predictedCategory);

        assertThatThrownBy(() -> ParetoFrontier.of(table, List.of(new ExpertCost("closed", null, null)),
                CostBasis.ACTIVE_PARAMS))
                .isInstanceOf(OptimizerException.NothingToChoose.class)
                .hasMessageContaining("'math'");
    }

    @Test
    void should_keep_the_first_expert_in_order_when_two_mappings_tie_exactly() {
        // given: "b" and "a" are identical in cost and quality; "b" is listed first
        List<Observation> obs = List.of(obs("x", "math", Map.of("a", 1.0, "b", 1.0)));
        List<ExpertCost> costs = List.of(new ExpertCost("a", 3.0, null), new ExpertCost("b", 3.0, null));

        // when
        ParetoFrontier first = ParetoFrontier.of(QualityTable.fit(obs, List.of("math"), List.of("b", "a"),
                Observation::predictedCategory), costs, CostBasis.ACTIVE_PARAMS);
        ParetoFrontier second = ParetoFrontier.of(QualityTable.fit(obs, List.of("math"), List.of("a", "b"),
                Observation::predictedCategory), costs, CostBasis.ACTIVE_PARAMS);

        // then
        assertThat(first.points()).singleElement().extracting(m -> m.expert("math")).isEqualTo("b");
        assertThat(second.points()).singleElement().extracting(m -> m.expert("math")).isEqualTo("a");
    }

    @RepeatedTest(200)
    void should_equal_brute_force_enumeration_when_the_instance_is_small_and_random() {
        // given: few distinct scores and costs, so exact ties are common
        Random random = new Random(SEEDS.getAndIncrement());
        Instance instance = Instance.random(random);
        QualityTable table = instance.table();

        // when
        ParetoFrontier frontier = ParetoFrontier.of(table, instance.costs(), CostBasis.ACTIVE_PARAMS);

        // then: the same points, the same mappings, in the same order
        List<Mapping> expected = BruteForce.frontier(table, instance.costMap());
        assertThat(frontier.points()).extracting(Mapping::cost).containsExactlyElementsOf(
                expected.stream().map(Mapping::cost).toList());
        assertThat(frontier.points()).extracting(Mapping::quality).containsExactlyElementsOf(
                expected.stream().map(Mapping::quality).toList());
        assertThat(frontier.points()).extracting(Mapping::expertByCategory).containsExactlyElementsOf(
                expected.stream().map(Mapping::expertByCategory).toList());
        for (int i = 0; i < 10; i++) {
            double budget = random.nextDouble() * 6;
            Optional<Mapping> best = frontier.best(budget);
            Optional<Mapping> bruteBest = BruteForce.best(table, instance.costMap(), budget);
            assertThat(best.map(Mapping::expertByCategory)).isEqualTo(bruteBest.map(Mapping::expertByCategory));
            best.ifPresent(m -> assertThat(m.cost()).isLessThanOrEqualTo(budget));
        }
    }

    static Observation obs(String item, String predicted, Map<String, Double> scores) {
        return new Observation(item, null, predicted, scores);
    }

    /** A random table of 1-4 categories × 1-5 experts, some cells unscored, costs from a small set. */
    record Instance(List<Observation> observations, List<String> categories, List<String> experts, List<ExpertCost> costs) {

        static Instance random(Random random) {
            int nc = 1 + random.nextInt(4);
            int ne = 1 + random.nextInt(5);
            List<String> categories = new ArrayList<>();
            List<String> experts = new ArrayList<>();
            for (int c = 0; c < nc; c++) {
                categories.add("c" + c);
            }
            for (int e = 0; e < ne; e++) {
                experts.add("e" + e);
            }
            double[] scoreValues = {0.0, 0.5, 1.0};
            double[] costValues = {1, 2, 3, 5};
            List<Observation> obs = new ArrayList<>();
            for (int c = 0; c < nc; c++) {
                boolean[] unscored = new boolean[ne];
                for (int e = 1; e < ne; e++) { // e0 always scored: every category keeps a candidate
                    unscored[e] = random.nextInt(6) == 0;
                }
                int n = 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    Map<String, Double> scores = new HashMap<>();
                    for (int e = 0; e < ne; e++) {
                        if (!unscored[e]) {
                            scores.put(experts.get(e), scoreValues[random.nextInt(scoreValues.length)]);
                        }
                    }
                    obs.add(obs("c" + c + "/" + i, categories.get(c), scores));
                }
            }
            List<ExpertCost> costs = experts.stream()
                    .map(id -> new ExpertCost(id, costValues[random.nextInt(costValues.length)], null)).toList();
            return new Instance(obs, categories, experts, costs);
        }

        QualityTable table() {
            return QualityTable.fit(observations, categories, experts, Observation::predictedCategory);
        }

        Map<String, Double> costMap() {
            Map<String, Double> out = new HashMap<>();
            costs.forEach(c -> out.put(c.id(), c.activeParamsB()));
            return out;
        }
    }

    /** Enumerates every mapping, summing in taxonomy order as the frontier does. */
    static final class BruteForce {

        static List<Mapping> all(QualityTable table, Map<String, Double> costs) {
            int nc = table.categories().size();
            List<String> experts = table.experts();
            List<Mapping> out = new ArrayList<>();
            int[] choice = new int[nc];
            while (true) {
                boolean valid = true;
                double cost = 0.0;
                double quality = 0.0;
                Map<String, String> mapping = new LinkedHashMap<>();
                for (int c = 0; c < nc; c++) {
                    String category = table.categories().get(c);
                    String expert = experts.get(choice[c]);
                    Estimate cell = table.cell(category, expert);
                    valid &= cell.count() > 0;
                    cost += table.share(category) * costs.get(expert);
                    quality += table.share(category) * cell.mean();
                    mapping.put(category, expert);
                }
                if (valid) {
                    out.add(new Mapping(mapping, cost, quality));
                }
                int c = nc - 1;
                while (c >= 0 && ++choice[c] == experts.size()) {
                    choice[c--] = 0;
                }
                if (c < 0) {
                    return out; // enumerated in lexicographic order of expert indices
                }
            }
        }

        static List<Mapping> frontier(QualityTable table, Map<String, Double> costs) {
            List<Mapping> all = all(table, costs);
            List<Mapping> out = new ArrayList<>();
            for (Mapping x : all) {
                boolean dominated = false;
                for (Mapping y : all) {
                    boolean weaklyBetter = y.cost() <= x.cost() && y.quality() >= x.quality();
                    boolean strictly = y.cost() < x.cost() || y.quality() > x.quality();
                    boolean equalButEarlier = !strictly && all.indexOf(y) < all.indexOf(x);
                    dominated |= weaklyBetter && (strictly || equalButEarlier);
                }
                if (!dominated) {
                    out.add(x);
                }
            }
            out.sort((a, b) -> Double.compare(a.cost(), b.cost()));
            return out;
        }

        static Optional<Mapping> best(QualityTable table, Map<String, Double> costs, double budget) {
            Mapping best = null;
            for (Mapping m : all(table, costs)) { // lexicographic order: a later equal mapping never replaces
                if (m.cost() <= budget && (best == null || m.quality() > best.quality()
                        || (m.quality() == best.quality() && m.cost() < best.cost()))) {
                    best = m;
                }
            }
            return Optional.ofNullable(best);
        }
    }

    @Test
    void should_enumerate_every_mapping_when_brute_forcing() {
        // the oracle itself: 2 categories × 3 experts = 9 mappings
        Instance instance = new Instance(List.of(obs("a", "x", Map.of("p", 1.0, "q", 0.0, "r", 0.5)),
                obs("b", "y", Map.of("p", 0.0, "q", 1.0, "r", 0.5))), List.of("x", "y"), List.of("p", "q", "r"),
                List.of(new ExpertCost("p", 1.0, null), new ExpertCost("q", 2.0, null), new ExpertCost("r", 3.0, null)));
        assertThat(BruteForce.all(instance.table(), instance.costMap())).hasSize(9)
                .extracting(m -> Arrays.asList(m.expert("x"), m.expert("y"))).first().isEqualTo(List.of("p", "p"));
    }
}
