package dev.coe.router.routing;

import dev.coe.classifier.Category;
import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.Classification;
import dev.coe.classifier.ForwardingClassifier;
import dev.coe.classifier.Turn;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertFactory;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.ExpertRegistry;
import dev.coe.gateway.ProviderKind;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterTest {

    private static final String ROUTING = """
            router-models: [auto, coe]
            fallback-chain: [generalist, cheap]
            default-threshold: 0.5
            rules:
              - category: coding
                chain: [coder, generalist]
                fallback: coder
              - category: math
                chain: [mathematician]
                threshold: 0.9
            """;

    private final ExpertRegistry experts = ExpertRegistry.of(
            List.of("coder", "mathematician", "generalist", "cheap").stream()
                    .map(id -> ExpertFactory.of(name -> null).create(ExpertConfig.builder(id).provider(ProviderKind.SIMULATED).build()))
                    .toList());

    /** A classifier that always answers with a fixed distribution, so the tests control step one. */
    private static CategoryClassifier fixed(String category, double confidence) {
        Map<String, Double> distribution = new LinkedHashMap<>();
        distribution.put(category, confidence);
        distribution.put("other", 1 - confidence);
        return new CategoryClassifier() {
            @Override
            public Classification classify(List<Turn> conversation) {
                return new Classification(category, confidence, distribution);
            }

            @Override
            public List<Category> categories() {
                return List.of(new Category("coding", ""), new Category("math", ""), new Category("writing", ""));
            }

            @Override
            public String name() {
                return "fixed";
            }
        };
    }

    private Router router(CategoryClassifier classifier) {
        RoutingTable table = RoutingTableLoader.parse(ROUTING,
                Set.of(ExpertId.of("coder"), ExpertId.of("mathematician"), ExpertId.of("generalist"), ExpertId.of("cheap")),
                Set.of("coding", "math", "writing"));
        return new Router(classifier, experts, table);
    }

    @Test
    void should_use_category_chain_when_confident() {
        RoutingDecision d = router(fixed("coding", 0.8)).route("auto", List.of(Turn.user("fix my code"))).orElseThrow();

        assertThat(d.category()).isEqualTo("coding");
        assertThat(d.reason()).isEqualTo(RoutingDecision.Reason.CATEGORY);
        assertThat(d.chain()).extracting(ExpertId::value).containsExactly("coder", "generalist");
        assertThat(d.confidence()).isEqualTo(0.8);
    }

    @Test
    void should_use_fallback_then_fallback_chain_when_below_threshold() {
        RoutingDecision d = router(fixed("coding", 0.4)).route("coe", List.of(Turn.user("hmm"))).orElseThrow();

        assertThat(d.reason()).isEqualTo(RoutingDecision.Reason.UNCERTAIN);
        assertThat(d.chain()).extracting(ExpertId::value).containsExactly("coder", "generalist", "cheap");
    }

    @Test
    void should_use_fallback_then_fallback_chain_when_the_prompt_is_in_a_foreign_script() {
        // given a classifier sure of its category, for a prompt its English model cannot read
        CategoryClassifier sure = fixed("coding", 0.99);
        CategoryClassifier foreign = new ForwardingClassifier(sure) {
            @Override
            public Classification classify(List<Turn> conversation) {
                return sure.classify(conversation).withForeignScript(true);
            }
        };

        // when
        RoutingDecision d = router(foreign).route("coe", List.of(Turn.user("修复我的代码"))).orElseThrow();

        // then the chain an uncertain answer gets, with its own reason; the category is still reported
        assertThat(d.reason()).isEqualTo(RoutingDecision.Reason.FOREIGN_SCRIPT);
        assertThat(d.category()).isEqualTo("coding");
        assertThat(d.chain()).extracting(ExpertId::value).containsExactly("coder", "generalist", "cheap");
    }

    @Test
    void should_honour_rule_threshold_over_default_when_rule_sets_one() {
        RoutingDecision d = router(fixed("math", 0.85)).route("auto", List.of(Turn.user("2+2"))).orElseThrow();

        assertThat(d.reason()).isEqualTo(RoutingDecision.Reason.UNCERTAIN);
        assertThat(d.chain()).extracting(ExpertId::value).containsExactly("generalist", "cheap");
    }

    @Test
    void should_use_fallback_chain_when_category_has_no_rule() {
        RoutingDecision d = router(fixed("writing", 0.99)).route("auto", List.of(Turn.user("a poem"))).orElseThrow();

        assertThat(d.reason()).isEqualTo(RoutingDecision.Reason.NO_RULE);
        assertThat(d.chain()).extracting(ExpertId::value).containsExactly("generalist", "cheap");
    }

    @Test
    void should_call_named_expert_without_classifying_when_model_is_an_expert_id() {
        CategoryClassifier mustNotBeCalled = fixed("coding", 1.0);
        RoutingDecision d = router(new CategoryClassifier() {
            public Classification classify(List<Turn> c) { throw new AssertionError("classified a direct call"); }
            public List<Category> categories() { return mustNotBeCalled.categories(); }
            public String name() { return "never"; }
        }).route("mathematician", List.of(Turn.user("2+2"))).orElseThrow();

        assertThat(d.reason()).isEqualTo(RoutingDecision.Reason.DIRECT);
        assertThat(d.category()).isEqualTo(RoutingDecision.NO_CATEGORY);
        assertThat(d.chain()).extracting(ExpertId::value).containsExactly("mathematician");
    }

    @Test
    void should_use_fallback_chain_unclassified_when_the_classifier_is_busy() {
        RoutingDecision d = router(new CategoryClassifier() {
            public Classification classify(List<Turn> c) {
                throw ClassifierBusyException.waited(java.time.Duration.ofMillis(300), java.time.Duration.ofMillis(250));
            }
            public List<Category> categories() { return fixed("coding", 1.0).categories(); }
            public String name() { return "busy"; }
        }).route("auto", List.of(Turn.user("fix my code"))).orElseThrow();

        assertThat(d.reason()).isEqualTo(RoutingDecision.Reason.CLASSIFIER_BUSY);
        assertThat(d.category()).isEqualTo(RoutingDecision.NO_CATEGORY);
        assertThat(d.confidence()).isZero();
        assertThat(d.distribution()).isEmpty();
        assertThat(d.chain()).extracting(ExpertId::value).containsExactly("generalist", "cheap");
        assertThat(d.cache()).isEqualTo(CategoryCachePolicy.DETERMINISTIC);
    }

    @Test
    void should_route_nowhere_when_model_is_unknown() {
        assertThat(router(fixed("coding", 1.0)).route("gpt-17", List.of(Turn.user("x")))).isEmpty();
    }

    @Test
    void should_name_the_problem_when_routing_file_refers_to_unknown_expert() {
        assertThatThrownBy(() -> RoutingTableLoader.parse("fallback-chain: [ghost]", Set.of(ExpertId.of("real")), Set.of("coding")))
                .hasMessageContaining("fallback-chain").hasMessageContaining("ghost");
    }

    @Test
    void should_name_the_problem_when_rule_has_threshold_outside_unit_interval() {
        String yaml = "fallback-chain: [real]\nrules:\n  - category: coding\n    chain: [real]\n    threshold: 1.5\n";
        assertThatThrownBy(() -> RoutingTableLoader.parse(yaml, Set.of(ExpertId.of("real")), Set.of("coding")))
                .hasMessageContaining("threshold").hasMessageContaining("coding");
    }

    @Test
    void should_name_the_problem_when_rule_has_unknown_category() {
        String yaml = "fallback-chain: [real]\nrules:\n  - category: cooking\n    chain: [real]\n";
        assertThatThrownBy(() -> RoutingTableLoader.parse(yaml, Set.of(ExpertId.of("real")), Set.of("coding")))
                .hasMessageContaining("cooking");
    }
}
