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
import dev.coe.router.expert.ExpertsFile;
import dev.coe.router.expert.LoadMonitors;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.coe.router.routing.Router;
import dev.coe.router.routing.RoutingTable;
import dev.coe.router.routing.RoutingTableLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class RoutingVersionsTest {

    private static final List<String> EXPERTS = List.of("a", "b", "c");
    private final ExpertRegistry registry = ExpertRegistry.of(EXPERTS.stream()
            .map(id -> ExpertFactory.of(name -> null).create(ExpertConfig.builder(id).provider(ProviderKind.SIMULATED).build()))
            .toList());
    private final CategoryClassifier coding = new CategoryClassifier() {
        @Override
        public Classification classify(List<Turn> conversation) {
            return Classification.certain("coding");
        }

        @Override
        public List<Category> categories() {
            return List.of(new Category("coding", ""), new Category("math", ""));
        }

        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public String version() {
            return "1";
        }
    };
    private final ExpertFleet fleet = new ExpertFleet(ExpertFactory.of(name -> null),
            new ExpertGuards(new SimpleMeterRegistry(), GatewayClock.system()), new LoadMonitors(), false);
    private Router router;
    private RoutingVersions versions;
    private VersionStore store;

    @BeforeEach
    void seed() {
        RoutingConfig seed = ConfigValidatorTest.valid();
        router = new Router(coding, registry, RoutingTableLoader.parse(RoutingYaml.writeRouting(seed, null),
                Set.of(ExpertId.of("a"), ExpertId.of("b"), ExpertId.of("c")), Set.of("coding", "math")));
        store = new H2VersionStoreTest().storeForTest();
        versions = restart(seed);
    }

    /** A router process starting on the same store, with {@code seed} read from config/. */
    private RoutingVersions restart(RoutingConfig seed) {
        RoutingVersions started = new RoutingVersions(store, router, fleet,
                List.of("coding", "math"), Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        started.start(seed);
        return started;
    }

    private List<ExpertId> chainOfNextRequest() {
        return router.route("auto", List.of(Turn.user("x"))).orElseThrow().chain();
    }

    private static RoutingConfig codingTo(RoutingConfig config, String... chain) {
        return config.withCategory("coding", c -> new CategoryConfig("coding", c.description(), c.threshold(), c.fallback(), List.of(chain)));
    }

    @Test
    void should_swap_the_live_table_when_a_change_is_saved_but_keep_the_table_a_request_already_holds() {
        // given a request that has read the table
        RoutingTable heldByRequestInFlight = router.table();
        // when
        ConfigVersion saved = versions.edit("alice", "move", "\"1\"", c -> codingTo(c, "b"));
        // then
        assertThat(saved.number()).isEqualTo(2);
        assertThat(chainOfNextRequest()).containsExactly(ExpertId.of("b"));
        assertThat(heldByRequestInFlight.findRule("coding").orElseThrow().chain()).containsExactly(ExpertId.of("a"), ExpertId.of("c"));
    }

    @Test
    void should_not_touch_the_live_table_when_a_draft_is_saved_until_it_is_applied() {
        // when
        ConfigVersion draft = versions.submit(codingTo(versions.live().config(), "c"), "bob", "try", true, null);
        // then
        assertThat(chainOfNextRequest()).containsExactly(ExpertId.of("a"), ExpertId.of("c"));
        assertThat(versions.live().number()).isEqualTo(1);
        // and when applied
        ConfigVersion applied = versions.apply(draft.number(), "bob", null, "*");
        assertThat(applied.number()).isEqualTo(3);
        assertThat(applied.comment()).isEqualTo("apply draft 2");
        assertThat(chainOfNextRequest()).containsExactly(ExpertId.of("c"));
    }

    @Test
    void should_refuse_and_save_nothing_when_if_match_is_missing_stale_or_the_change_invalid() {
        assertThatThrownBy(() -> versions.edit("x", "", null, c -> codingTo(c, "b")))
                .isInstanceOf(AdminException.PreconditionRequired.class);
        versions.edit("x", "", "\"1\"", c -> codingTo(c, "b"));
        assertThatThrownBy(() -> versions.edit("y", "", "\"1\"", c -> codingTo(c, "c")))
                .isInstanceOf(AdminException.Conflict.class);
        assertThatThrownBy(() -> versions.edit("y", "", "\"2\"", c -> codingTo(c, "nobody")))
                .isInstanceOf(AdminException.InvalidConfig.class);
        assertThat(versions.history()).hasSize(2);
        assertThat(chainOfNextRequest()).containsExactly(ExpertId.of("b"));
    }

    @Test
    void should_roll_back_as_a_new_version_when_an_old_one_is_applied() {
        versions.edit("x", "", "\"1\"", c -> codingTo(c, "b"));
        ConfigVersion back = versions.apply(1, "x", "oops", "W/\"2\"");
        assertThat(back.number()).isEqualTo(3);
        assertThat(back.comment()).isEqualTo("roll back to version 1: oops");
        assertThat(back.config()).isEqualTo(versions.version(1).config());
        assertThat(versions.diff(back)).hasSize(1);
        assertThat(chainOfNextRequest()).containsExactly(ExpertId.of("a"), ExpertId.of("c"));
    }

    @Test
    void should_keep_admin_edits_across_a_restart_when_config_files_did_not_change() {
        versions.edit("alice", "move", "\"1\"", c -> codingTo(c, "b"));

        RoutingVersions afterRestart = restart(ConfigValidatorTest.valid());

        assertThat(afterRestart.live().number()).isEqualTo(2);
        assertThat(chainOfNextRequest()).containsExactly(ExpertId.of("b"));
    }

    @Test
    void should_import_config_files_as_a_new_version_when_they_changed_since_the_last_import() {
        versions.edit("alice", "move", "\"1\"", c -> codingTo(c, "b"));
        RoutingConfig editedFiles = codingTo(ConfigValidatorTest.valid(), "c");

        RoutingVersions afterRestart = restart(editedFiles);

        ConfigVersion live = afterRestart.live();
        assertThat(live.number()).isEqualTo(3);
        assertThat(live.author()).isEqualTo(RoutingVersions.SEED_AUTHOR);
        assertThat(live.comment()).contains("changed since version 1");
        assertThat(chainOfNextRequest()).containsExactly(ExpertId.of("c"));
        assertThat(afterRestart.version(2).config().findCategory("coding").orElseThrow().chain()).containsExactly("b");
        // and a second restart with the same files changes nothing
        assertThat(restart(editedFiles).live().number()).isEqualTo(3);
    }

    private static ExpertsFile.Entry simulated(String id, String description) {
        return new ExpertsFile.Entry(id, "simulated", null, "sim-" + id, null, description, null, null, null, null, null,
                null, null, null);
    }

    private static RoutingConfig withDefinitions(RoutingConfig config, ExpertsFile.Entry... entries) {
        return config.withExpertDefinitions(new ExpertsFile(null, List.of(entries)));
    }

    @Test
    void should_build_an_added_expert_and_route_to_it_when_a_version_defines_it_while_a_request_in_flight_keeps_the_old_experts() {
        // given a seed that defines its experts
        store = new H2VersionStoreTest().storeForTest();
        versions = restart(withDefinitions(ConfigValidatorTest.valid(), simulated("a", "A"), simulated("b", "B"), simulated("c", "C")));
        Router.Live heldByRequestInFlight = router.live();
        // when an expert is added and the coding rule sends to it
        versions.edit("alice", "new engine", "*", c -> codingTo(c.withExpertDefinitions(c.expertDefinitions().with(simulated("d", "D")))
                .withExperts(List.of("a", "b", "c", "d")), "d"));
        // then the next request is routed to it and can call it, the request in flight cannot
        assertThat(chainOfNextRequest()).containsExactly(ExpertId.of("d"));
        assertThat(router.experts().findExpert("d")).isPresent();
        assertThat(heldByRequestInFlight.experts().findExpert("d")).isEmpty();
    }

    @Test
    void should_rebuild_only_the_changed_expert_when_a_definition_changes() {
        store = new H2VersionStoreTest().storeForTest();
        versions = restart(withDefinitions(ConfigValidatorTest.valid(), simulated("a", "A"), simulated("b", "B"), simulated("c", "C")));
        var a = router.experts().findExpert("a").orElseThrow();
        var b = router.experts().findExpert("b").orElseThrow();

        versions.edit("alice", "reword", "*", c -> c.withExpertDefinitions(c.expertDefinitions().with(simulated("b", "B, reworded"))));

        assertThat(router.experts().findExpert("a").orElseThrow()).isSameAs(a);
        assertThat(router.experts().findExpert("b").orElseThrow()).isNotSameAs(b);
        assertThat(router.experts().findExpert("b").orElseThrow().config().description()).isEqualTo("B, reworded");
        // and a rollback restores the old definition as a new version
        versions.apply(versions.live().number() - 1, "alice", null, "*");
        assertThat(router.experts().findExpert("b").orElseThrow().config().description()).isEqualTo("B");
    }

    @Test
    void should_refuse_a_definition_that_cannot_be_built_and_keep_the_live_experts() {
        store = new H2VersionStoreTest().storeForTest();
        versions = restart(withDefinitions(ConfigValidatorTest.valid(), simulated("a", "A"), simulated("b", "B"), simulated("c", "C")));
        ExpertsFile.Entry broken = new ExpertsFile.Entry("b", "openai", "not a url", "m", null, null, null, "soon", null,
                null, null, null, null, null);

        assertThatThrownBy(() -> versions.edit("alice", "", "*", c -> c.withExpertDefinitions(c.expertDefinitions().with(broken))))
                .isInstanceOfSatisfying(AdminException.InvalidConfig.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field, FieldError::code)
                        .containsExactly(tuple("expertDefinitions.experts[b]", "invalid_expert")));
        assertThat(versions.live().number()).isEqualTo(1);
        assertThat(router.experts().findExpert("b").orElseThrow().config().provider()).isEqualTo(ProviderKind.SIMULATED);
    }

    @Test
    void should_keep_the_experts_of_the_version_it_is_based_on_when_a_config_defines_none() {
        store = new H2VersionStoreTest().storeForTest();
        versions = restart(withDefinitions(ConfigValidatorTest.valid(), simulated("a", "A"), simulated("b", "B"), simulated("c", "C")));

        ConfigVersion saved = versions.submit(codingTo(ConfigValidatorTest.valid(), "b"), "bob", "", false, "*");

        assertThat(saved.config().expertDefinitions().ids()).containsExactly("a", "b", "c");
    }

    @Test
    void should_make_a_version_live_here_when_another_replica_applied_it_to_the_shared_store() {
        // given a second replica on the same store, with its own router
        Router otherRouter = new Router(coding, registry, router.table());
        RoutingVersions other = new RoutingVersions(store, otherRouter, fleet, List.of("coding", "math"),
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
        other.start(ConfigValidatorTest.valid());
        List<Long> announced = new ArrayList<>();
        versions.onApplied(announced::add);
        // when this replica applies a change
        versions.edit("alice", "move", "\"1\"", c -> codingTo(c, "b"));
        // then it announces it, and the other replica, told or polling, switches once
        assertThat(announced).containsExactly(2L);
        assertThat(otherRouter.route("auto", List.of(Turn.user("x"))).orElseThrow().chain()).containsExactly(ExpertId.of("a"), ExpertId.of("c"));
        assertThat(other.syncLive()).isTrue();
        assertThat(otherRouter.route("auto", List.of(Turn.user("x"))).orElseThrow().chain()).containsExactly(ExpertId.of("b"));
        assertThat(other.syncLive()).isFalse();
        assertThat(versions.syncLive()).isFalse();
    }
}
