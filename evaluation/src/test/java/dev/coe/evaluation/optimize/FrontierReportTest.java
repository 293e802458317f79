package dev.coe.evaluation.optimize;

import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FrontierReportTest {

    private static final List<String> CATEGORIES = List.of("math", "writing");
    private static final List<ExpertCost> EXPERTS = List.of(new ExpertCost("small", 10.0, null),
            new ExpertCost("big", 100.0, null), new ExpertCost("closed", null, 5.0));

    /** "big" is better at math only; "small" is as good at writing; the classifier sends 1 math prompt in 4 to writing. */
    private static List<Observation> split(String prefix, int n) {
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean misrouted = i % 4 == 3;
            out.add(new Observation(prefix + "m" + i, "math", misrouted ? "writing" : "math",
                    Map.of("small", i % 2 == 0 ? 1.0 : 0.0, "big", 1.0, "closed", 1.0)));
            out.add(new Observation(prefix + "w" + i, "writing", "writing", Map.of("small", 1.0, "big", 1.0, "closed", 1.0)));
        }
        return out;
    }

    @Test
    void should_answer_each_budget_within_it_and_score_everything_on_the_held_out_split() {
        // when
        FrontierReport report = FrontierReport.build("toy", "test", CATEGORIES, EXPERTS, CostBasis.ACTIVE_PARAMS,
                split("fit-", 40), split("held-", 20), List.of(0.6, 1.0),
                Optional.of(Map.of("math", "big", "writing", "big")));

        // then: the closed model has no parameter count and is left out
        assertThat(report.excluded()).containsOnlyKeys("closed");
        assertThat(report.bestSingle().label()).isEqualTo("best single: big");
        assertThat(report.bestSingle().quality().mean()).isEqualTo(1.0);
        FrontierReport.Point cheap = report.budgets().values().iterator().next();
        assertThat(cheap.fitCost()).isLessThanOrEqualTo(60.0);
        assertThat(cheap.mapping()).containsEntry("math", "big").containsEntry("writing", "small");
        // the 5 misrouted held-out math prompts (odd ids) get "small" in writing, which fails them all
        assertThat(cheap.quality().mean()).isCloseTo(35.0 / 40, within(1e-12));
        assertThat(cheap.vsBestSingle().mean()).isCloseTo(-5.0 / 40, within(1e-12));
        assertThat(report.live()).isNotNull();
        assertThat(report.live().cost()).isEqualTo(100.0);
        // matching "big" takes "big" everywhere when routed by prediction, but only in math with true categories
        assertThat(report.budgets().get(FrontierReport.MATCH).fitCost()).isEqualTo(100.0);
        assertThat(report.knownCategories().get(FrontierReport.MATCH).fitCost()).isEqualTo(55.0);
        assertThat(report.knownCategories().get(FrontierReport.MATCH).quality().mean()).isEqualTo(1.0);
        // and the upper bound: the same three questions answered on the held-out split itself
        assertThat(report.knownCategories()).hasSize(6);
        assertThat(report.knownCategories().get(FrontierReport.UPPER_BOUND + FrontierReport.MATCH).fitCost()).isEqualTo(55.0);
        assertThat(report.frontier()).extracting(FrontierReport.Point::fitCost).isSorted();
        assertThat(report.cells().get("math").get("small").count()).isEqualTo(30);
    }

    @Test
    void should_bound_every_budget_answer_by_the_mapping_fitted_on_the_held_out_split_itself() {
        // given: a held-out split where "small" happens to do better at math than on the fitting split
        List<Observation> heldOut = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            heldOut.add(new Observation("held-m" + i, "math", i % 4 == 3 ? "writing" : "math",
                    Map.of("small", i < 15 ? 1.0 : 0.0, "big", i < 18 ? 1.0 : 0.0, "closed", 1.0)));
            heldOut.add(new Observation("held-w" + i, "writing", "writing", Map.of("small", 1.0, "big", 1.0, "closed", 1.0)));
        }

        // when
        FrontierReport report = FrontierReport.build("toy", "test", CATEGORIES, EXPERTS, CostBasis.ACTIVE_PARAMS,
                split("fit-", 40), heldOut, List.of(0.2, 0.6, 1.0), Optional.empty());

        // then: at each budget the bound is at least what the router's mapping and the true-category mapping reach
        for (String budget : report.budgets().keySet()) {
            if (budget.equals(FrontierReport.MATCH)) {
                continue;
            }
            FrontierReport.Point bound = report.knownCategories().get(FrontierReport.UPPER_BOUND + budget);
            assertThat(bound).as("bound for %s", budget).isNotNull();
            assertThat(bound.label()).startsWith(FrontierReport.UPPER_BOUND);
            assertThat(bound.quality().mean()).isGreaterThanOrEqualTo(report.budgets().get(budget).quality().mean())
                    .isGreaterThanOrEqualTo(report.knownCategories().get(budget).quality().mean());
        }
        // at 20 % (cost 20) only "small" everywhere fits: 35 of 40 on the held-out split, and its fitted cost is its own
        FrontierReport.Point tight = report.knownCategories().get(FrontierReport.UPPER_BOUND + "<= 20% of best single (20.00)");
        assertThat(tight.mapping()).containsEntry("math", "small").containsEntry("writing", "small");
        assertThat(tight.quality().mean()).isCloseTo(35.0 / 40, within(1e-12));
    }

    @Test
    void should_spend_the_budget_where_the_live_traffic_is_when_traffic_counts_are_given() {
        // given: live traffic is almost all math, where "big" matters
        Map<String, Integer> traffic = Map.of("math", 95, "writing", 5);

        // when
        FrontierReport report = FrontierReport.build("toy", "test", CATEGORIES, EXPERTS, CostBasis.ACTIVE_PARAMS,
                split("fit-", 40), split("held-", 20), List.of(0.6), Optional.empty(),
                ParetoFrontier.DEFAULT_MIN_COVERAGE, java.util.OptionalDouble.of(0), traffic);

        // then: big on math would cost 0.95 · 100 + 0.05 · 10 = 95.5 on average, over the 60 budget (with the
        // suite's own mix it was chosen: 43.75); big on the rare writing traffic is affordable: 0.95 · 10 + 0.05 · 100
        assertThat(report.shares()).containsEntry("math", 0.95);
        FrontierReport.Point cheap = report.budgets().values().iterator().next();
        assertThat(cheap.mapping()).containsEntry("math", "small").containsEntry("writing", "big");
        assertThat(cheap.fitCost()).isCloseTo(14.5, within(1e-9));
    }

    @Test
    void should_leave_the_live_mapping_out_when_its_experts_are_not_scored_here() {
        FrontierReport report = FrontierReport.build("toy", "test", CATEGORIES, EXPERTS, CostBasis.ACTIVE_PARAMS,
                split("fit-", 8), split("held-", 4), List.of(0.5),
                Optional.of(Map.of("math", "local-moe", "writing", "big")));

        assertThat(report.live()).isNull();
    }

    @Test
    void should_draw_a_well_formed_svg_with_a_dot_per_single_expert() throws Exception {
        FrontierReport report = FrontierReport.build("toy <&>", "test", CATEGORIES, EXPERTS, CostBasis.ACTIVE_PARAMS,
                split("fit-", 8), split("held-", 4), List.of(0.5), Optional.empty());

        String svg = FrontierChart.svg(report);

        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
        assertThat(svg).contains("toy &lt;&amp;&gt;").contains(">small<").contains(">big<");
    }
}
