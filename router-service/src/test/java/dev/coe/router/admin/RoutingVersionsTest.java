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
import dev.coe.router.routing.Router;
import dev.coe.router.routing.RoutingTable;
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
        RoutingVersions started = new RoutingVersions(store, router, Set.copyOf(EXPERTS),
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
}
