package dev.coe.router.routing;

import dev.coe.classifier.Classification;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.cache.CacheDirective;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CategoryCachePolicyTest {

    @Test
    void should_leave_the_client_directive_alone_when_the_policy_is_the_default() {
        for (CacheDirective client : CacheDirective.values()) {
            assertThat(CategoryCachePolicy.DETERMINISTIC.apply(client)).isEqualTo(client);
        }
    }

    @Test
    void should_force_caching_only_where_the_client_did_not_ask_for_less_when_the_policy_is_always() {
        assertThat(CategoryCachePolicy.ALWAYS.apply(CacheDirective.DEFAULT)).isEqualTo(CacheDirective.FORCE);
        assertThat(CategoryCachePolicy.ALWAYS.apply(CacheDirective.REFRESH)).isEqualTo(CacheDirective.REFRESH);
        assertThat(CategoryCachePolicy.ALWAYS.apply(CacheDirective.BYPASS)).isEqualTo(CacheDirective.BYPASS);
    }

    @Test
    void should_bypass_whatever_the_client_asked_when_the_policy_is_off() {
        for (CacheDirective client : CacheDirective.values()) {
            assertThat(CategoryCachePolicy.OFF.apply(client)).isEqualTo(CacheDirective.BYPASS);
        }
    }

    @Test
    void should_name_the_accepted_values_when_a_rule_has_an_unknown_policy() {
        assertThat(CategoryCachePolicy.fromConfigName(null)).isEqualTo(CategoryCachePolicy.DETERMINISTIC);
        assertThat(CategoryCachePolicy.fromConfigName(" Always ")).isEqualTo(CategoryCachePolicy.ALWAYS);
        assertThatThrownBy(() -> RoutingTableLoader.parse("""
                fallback-chain: [a]
                rules:
                  - {category: coding, chain: [a], cache: sometimes}
                """, Set.of(ExpertId.of("a")), Set.of("coding")))
                .hasMessageContaining("coding").hasMessageContaining("sometimes").hasMessageContaining("[deterministic, always, off]");
    }

    @Test
    void should_apply_the_rule_policy_only_when_the_category_is_confident() {
        RoutingTable table = RoutingTableLoader.parse("""
                fallback-chain: [a]
                rules:
                  - {category: coding, chain: [a], threshold: 0.5, cache: off}
                """, Set.of(ExpertId.of("a")), Set.of("coding"));
        assertThat(table.select(new Classification("coding", 0.9, Map.of("coding", 0.9))).cache()).isEqualTo(CategoryCachePolicy.OFF);
        assertThat(table.select(new Classification("coding", 0.1, Map.of("coding", 0.1))).cache()).isEqualTo(CategoryCachePolicy.DETERMINISTIC);
        assertThat(table.findRule("coding").orElseThrow().cache()).isEqualTo(CategoryCachePolicy.OFF);
    }
}
