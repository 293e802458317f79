package dev.coe.gateway.cache;

import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.cache.ResponseCache.Lookup;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static dev.coe.gateway.cache.CacheFixtures.EXPERT;
import static dev.coe.gateway.cache.CacheFixtures.answer;
import static dev.coe.gateway.cache.CacheFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link ResponseCache#answer} (the directive applied) and {@link ResponseCache#disabled()}. */
class ResponseCacheTest {

    private static final Duration TTL = Duration.ofMinutes(5);
    private static final ExpertRequest GREEDY = request(0.0);
    private static final ExpertRequest SAMPLED = request(0.8);

    private final CaffeineResponseCache cache = CaffeineResponseCache.builder().build();
    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void should_miss_then_hit_when_a_deterministic_request_comes_twice() {
        // when
        Lookup first = cache.answer(EXPERT, GREEDY, CacheDirective.DEFAULT, TTL, call("a"));
        Lookup second = cache.answer(EXPERT, GREEDY, CacheDirective.DEFAULT, TTL, call("b"));

        // then
        assertThat(first.status()).isEqualTo(CacheStatus.MISS);
        assertThat(second.status()).isEqualTo(CacheStatus.HIT);
        assertThat(second.response().aiMessage().text()).isEqualTo("a");
        assertThat(calls).hasValue(1);
    }

    @Test
    void should_bypass_and_store_nothing_when_the_request_samples() {
        // when
        Lookup first = cache.answer(EXPERT, SAMPLED, CacheDirective.DEFAULT, TTL, call("a"));
        Lookup second = cache.answer(EXPERT, SAMPLED, CacheDirective.DEFAULT, TTL, call("b"));

        // then
        assertThat(first.status()).isEqualTo(CacheStatus.BYPASS);
        assertThat(second).isEqualTo(new Lookup(second.response(), CacheStatus.BYPASS));
        assertThat(second.response().aiMessage().text()).isEqualTo("b");
        assertThat(calls).hasValue(2);
        assertThat(cache.stats()).isEqualTo(CacheStats.EMPTY);
    }

    @Test
    void should_hit_when_the_client_forces_caching_of_a_sampled_request() {
        // when
        cache.answer(EXPERT, SAMPLED, CacheDirective.FORCE, TTL, call("a"));
        Lookup second = cache.answer(EXPERT, SAMPLED, CacheDirective.FORCE, TTL, call("b"));
        Lookup unforced = cache.answer(EXPERT, SAMPLED, CacheDirective.DEFAULT, TTL, call("c"));

        // then
        assertThat(second.status()).isEqualTo(CacheStatus.HIT);
        assertThat(unforced.status()).isEqualTo(CacheStatus.BYPASS);
        assertThat(calls).hasValue(2);
    }

    @Test
    void should_call_and_replace_the_stored_answer_when_the_client_refreshes() {
        // given
        cache.answer(EXPERT, GREEDY, CacheDirective.DEFAULT, TTL, call("old"));

        // when
        Lookup refreshed = cache.answer(EXPERT, GREEDY, CacheDirective.REFRESH, TTL, call("new"));
        Lookup after = cache.answer(EXPERT, GREEDY, CacheDirective.DEFAULT, TTL, call("unused"));

        // then
        assertThat(refreshed.status()).isEqualTo(CacheStatus.BYPASS);
        assertThat(refreshed.response().aiMessage().text()).isEqualTo("new");
        assertThat(after).isEqualTo(new Lookup(refreshed.response(), CacheStatus.HIT));
        assertThat(calls).hasValue(2);
    }

    @Test
    void should_neither_read_nor_store_when_the_client_bypasses() {
        // given
        cache.answer(EXPERT, GREEDY, CacheDirective.DEFAULT, TTL, call("stored"));

        // when
        Lookup bypassed = cache.answer(EXPERT, GREEDY, CacheDirective.BYPASS, TTL, call("fresh"));
        Lookup after = cache.answer(EXPERT, GREEDY, CacheDirective.DEFAULT, TTL, call("unused"));

        // then
        assertThat(bypassed.status()).isEqualTo(CacheStatus.BYPASS);
        assertThat(bypassed.response().aiMessage().text()).isEqualTo("fresh");
        assertThat(after.response().aiMessage().text()).isEqualTo("stored");
        assertThat(calls).hasValue(2);
    }

    @Test
    void should_always_call_and_store_nothing_when_disabled() {
        // given
        ResponseCache disabled = ResponseCache.disabled();
        disabled.put(key("q"), answer("a"), TTL);

        // when
        Lookup first = disabled.getOrCompute(key("q"), TTL, call("b"));
        Lookup second = disabled.getOrCompute(key("q"), TTL, call("c"));
        Lookup answered = disabled.answer(EXPERT, GREEDY, CacheDirective.FORCE, TTL, call("d"));

        // then
        assertThat(disabled.get(key("q"))).isEmpty();
        assertThat(first.status()).isEqualTo(CacheStatus.MISS);
        assertThat(second).isEqualTo(new Lookup(second.response(), CacheStatus.MISS));
        assertThat(second.response().aiMessage().text()).isEqualTo("c");
        assertThat(answered.status()).isEqualTo(CacheStatus.BYPASS);
        assertThat(calls).hasValue(3);
        assertThat(disabled.stats()).isEqualTo(CacheStats.EMPTY);
    }

    private Supplier<ChatResponse> call(String text) {
        return () -> {
            calls.incrementAndGet();
            return answer(text);
        };
    }

    private static ExpertRequest request(double temperature) {
        return ExpertRequest.builder(List.of(UserMessage.from("Capital of France?"))).temperature(temperature).build();
    }
}
