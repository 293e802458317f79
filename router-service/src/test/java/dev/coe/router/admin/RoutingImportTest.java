package dev.coe.router.admin;

import dev.coe.classifier.Category;
import dev.coe.classifier.CategoryClassifier;
import dev.coe.classifier.Classification;
import dev.coe.classifier.Turn;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertFactory;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.ExpertRegistry;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.resilience.ExpertGuards;
import dev.coe.gateway.resilience.GatewayClock;
import dev.coe.router.expert.ExpertFleet;
import dev.coe.router.expert.LoadMonitors;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.coe.router.routing.Router;
import dev.coe.router.routing.RoutingTableLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutingImportTest {

    private static final List<String> EXPERTS = List.of("a", "b", "c");
    /** What the mapping optimizer writes: header comments, then the routing file. */
    private static final String DRAFT = """
            # Draft routing from the CoE mapping optimizer (mmlu-pro).
            router-models: [auto]
            fallback-chain: [a, b]
            default-threshold: 0.3
            rules:
              - category: coding
                chain: [c, a]
                threshold: 0.4
                fallback: b
              - category: math
                chain: [b]
            """;

    private Router router;
    private RoutingVersions versions;
    private RoutingImport imports;

    @BeforeEach
    void seed() {
        ExpertRegistry registry = ExpertRegistry.of(EXPERTS.stream().map(id -> ExpertFactory.of(name -> null)
                .create(ExpertConfig.builder(id).provider(ProviderKind.SIMULATED).build())).toList());
        RoutingConfig seed = ConfigValidatorTest.valid();
        router = new Router(fixed("coding"), registry, RoutingTableLoader.parse(RoutingYaml.writeRouting(seed, null),
                Set.of(ExpertId.of("a"), ExpertId.of("b"), ExpertId.of("c")), Set.of("coding", "math")));
        ExpertFleet fleet = new ExpertFleet(ExpertFactory.of(name -> null),
                new ExpertGuards(new SimpleMeterRegistry(), GatewayClock.system()), new LoadMonitors(), false);
        versions = new RoutingVersions(new H2VersionStoreTest().storeForTest(), router, fleet,
                List.of("coding", "math"), Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        versions.start(seed);
        imports = new RoutingImport(versions);
    }

    @Test
    void should_save_a_draft_with_its_diff_against_live_and_leave_routing_alone_when_importing() {
        // when
        RoutingImport.Result result = imports.importDraft(DRAFT, "ops", null, false);

        // then: a draft based on live version 1, differing in the coding chain and the new math rule
        assertThat(result.draft().number()).isEqualTo(2);
        assertThat(result.draft().status()).isEqualTo("draft");
        assertThat(result.draft().comment()).isEqualTo("imported routing.yaml");
        assertThat(result.live()).isEqualTo(1);
        assertThat(result.changes()).extracting(ConfigDiff.Change::path)
                .containsExactlyInAnyOrder("categories[coding].chain", "categories[math].chain");
        assertThat(versions.live().number()).isEqualTo(1);
        assertThat(chainOfNextRequest()).containsExactly(ExpertId.of("a"), ExpertId.of("c"));

        // and when applied through the ordinary apply, it goes live as a new version that can be rolled back
        versions.apply(2, "ops", null, "\"1\"");
        assertThat(chainOfNextRequest()).containsExactly(ExpertId.of("c"), ExpertId.of("a"));
        versions.apply(1, "ops", "undo", "\"3\"");
        assertThat(chainOfNextRequest()).containsExactly(ExpertId.of("a"), ExpertId.of("c"));
        assertThat(versions.history()).hasSize(4);
    }

    @Test
    void should_save_nothing_when_it_is_a_dry_run() {
        RoutingImport.Result result = imports.importDraft(DRAFT, "ops", "look", true);

        assertThat(result.draft()).isNull();
        assertThat(result.changes()).hasSize(2);
        assertThat(versions.history()).hasSize(1);
    }

    @Test
    void should_refuse_with_every_unknown_category_when_the_draft_was_fitted_for_another_taxonomy() {
        String otherTaxonomy = """
                fallback-chain: [a]
                rules:
                  - category: physics
                    chain: [a]
                  - category: law
                    chain: [b]
                """;

        assertThatThrownBy(() -> imports.importDraft(otherTaxonomy, "ops", null, false))
                .isInstanceOfSatisfying(AdminException.InvalidConfig.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("rules[0].category", "rules[1].category"));
        assertThat(versions.history()).hasSize(1);
    }

    @Test
    void should_refuse_with_422_when_an_expert_is_unknown_or_the_text_is_not_a_routing_file() {
        String unknownExpert = DRAFT.replace("chain: [b]", "chain: [Meta-Llama-3_1-70B-Instruct]");

        assertThatThrownBy(() -> imports.importDraft(unknownExpert, "ops", null, false))
                .isInstanceOfSatisfying(AdminException.InvalidConfig.class, e -> assertThat(e.errors().toString())
                        .contains("Meta-Llama-3_1-70B-Instruct"));
        assertThatThrownBy(() -> imports.importDraft("rules: [unclosed", "ops", null, false))
                .isInstanceOfSatisfying(AdminException.InvalidConfig.class, e -> assertThat(e.errors())
                        .extracting(FieldError::code).containsExactly("not_yaml"));
        assertThatThrownBy(() -> imports.importDraft("surprise: 1\n", "ops", null, false))
                .isInstanceOfSatisfying(AdminException.InvalidConfig.class, e -> assertThat(e.errors())
                        .extracting(FieldError::code).containsExactly("not_routing_file"));
        assertThatThrownBy(() -> imports.importDraft(DRAFT + "  - category: math\n    chain: [a]\n", "ops", null, false))
                .isInstanceOfSatisfying(AdminException.InvalidConfig.class, e -> assertThat(e.errors())
                        .extracting(FieldError::code).containsExactly("duplicate_rule"));
        assertThatThrownBy(() -> imports.importDraft(" ", "ops", null, false))
                .isInstanceOf(AdminException.InvalidConfig.class);
        assertThat(versions.history()).hasSize(1);
    }

    private List<ExpertId> chainOfNextRequest() {
        return router.route("auto", List.of(Turn.user("x"))).orElseThrow().chain();
    }

    private static CategoryClassifier fixed(String category) {
        return new CategoryClassifier() {
            @Override
            public Classification classify(List<Turn> conversation) {
                return Classification.certain(category);
            }

            @Override
            public List<Category> categories() {
                return List.of(new Category("coding", ""), new Category("math", ""));
            }

            @Override
            public String name() {
                return "fixed";
            }
        };
    }
}
