package dev.coe.gateway.cache;

import dev.coe.gateway.ExpertId;
import dev.coe.gateway.RetriableExpertException;
import dev.coe.gateway.cache.ResponseCache.Lookup;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static dev.coe.gateway.cache.CacheFixtures.answer;
import static dev.coe.gateway.cache.CacheFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaffeineResponseCacheTest {

    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int CALLERS = 16;

    private final AtomicLong nanos = new AtomicLong();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CaffeineResponseCache cache = CaffeineResponseCache.builder()
            .ticker(nanos::get)
            .meterRegistry(registry)
            .build();

    @Test
    void should_miss_then_hit_when_the_same_key_is_asked_twice() {
        // given
        AtomicInteger calls = new AtomicInteger();
        ChatResponse paris = answer("Paris.");

        // when
        Lookup first = cache.getOrCompute(key("capital of France?"), TTL, counting(calls, paris));
        Lookup second = cache.getOrCompute(key("capital of France?"), TTL, counting(calls, answer("other")));

        // then
        assertThat(first).isEqualTo(new Lookup(paris, CacheStatus.MISS));
        assertThat(second).isEqualTo(new Lookup(paris, CacheStatus.HIT));
        assertThat(calls).hasValue(1);
        assertThat(cache.stats()).extracting(CacheStats::hits, CacheStats::misses, CacheStats::entries)
                .containsExactly(1L, 1L, 1L);
        assertThat(registry.get("cache.gets").tag("cache", "coe.responses").tag("result", "hit").functionCounter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("cache.gets").tag("result", "miss").functionCounter().count()).isEqualTo(1.0);
    }

    @Test
    void should_return_what_was_put_when_got_and_count_the_lookups() {
        // given
        cache.put(key("q"), answer("a"), TTL);

        // when
        var stored = cache.get(key("q"));
        var absent = cache.get(key("other q"));

        // then
        assertThat(stored).hasValueSatisfying(r -> assertThat(r.aiMessage().text()).isEqualTo("a"));
        assertThat(absent).isEmpty();
        assertThat(cache.stats()).extracting(CacheStats::hits, CacheStats::misses).containsExactly(1L, 1L);
        assertThat(cache.stats().hitRate()).isEqualTo(0.5);
    }

    @Test
    void should_run_the_call_once_when_identical_requests_arrive_together() throws Exception {
        // given: the first call is held until every other caller waits for it
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ChatResponse paris = answer("Paris.");
        Supplier<ChatResponse> call = () -> {
            calls.incrementAndGet();
            inCall.countDown();
            await(release);
            return paris;
        };

        // when
        List<Lookup> lookups = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Lookup>> futures = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                futures.add(pool.submit(() -> cache.getOrCompute(key("capital of France?"), TTL, call)));
            }
            assertThat(inCall.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            awaitHits(CALLERS - 1);
            release.countDown();
            for (Future<Lookup> f : futures) {
                lookups.add(f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            }
        }

        // then
        assertThat(calls).hasValue(1);
        assertThat(lookups).extracting(Lookup::response).allSatisfy(r -> assertThat(r).isSameAs(paris));
        assertThat(lookups).filteredOn(l -> l.status() == CacheStatus.MISS).hasSize(1);
        assertThat(lookups).filteredOn(l -> l.status() == CacheStatus.HIT).hasSize(CALLERS - 1);
        assertThat(cache.stats()).extracting(CacheStats::hits, CacheStats::misses, CacheStats::entries)
                .containsExactly((long) CALLERS - 1, 1L, 1L);
        assertThat(registry.get("cache.coalesced").functionCounter().count()).isEqualTo(CALLERS - 1);
    }

    @Test
    void should_fail_every_waiting_caller_and_store_nothing_when_the_call_fails() throws Exception {
        // given
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RetriableExpertException failure = new RetriableExpertException(ExpertId.of("local-moe"),
                RetriableExpertException.Reason.SERVER_ERROR, "HTTP 503", null);
        Supplier<ChatResponse> call = () -> {
            calls.incrementAndGet();
            inCall.countDown();
            await(release);
            throw failure;
        };

        // when
        List<Throwable> errors = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Lookup>> futures = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                futures.add(pool.submit(() -> cache.getOrCompute(key("q"), TTL, call)));
            }
            assertThat(inCall.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            awaitHits(CALLERS - 1);
            release.countDown();
            for (Future<Lookup> f : futures) {
                ExecutionException e = org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class,
                        () -> f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                errors.add(e.getCause());
            }
        }

        // then: all got the call's own exception, and the next caller calls again
        assertThat(calls).hasValue(1);
        assertThat(errors).hasSize(CALLERS).allSatisfy(e -> assertThat(e).isSameAs(failure));
        assertThat(cache.get(key("q"))).isEmpty();
        Lookup retry = cache.getOrCompute(key("q"), TTL, counting(calls, answer("ok")));
        assertThat(retry.status()).isEqualTo(CacheStatus.MISS);
        assertThat(calls).hasValue(2);
        assertThat(cache.stats().entries()).isEqualTo(1);
    }

    @Test
    void should_rethrow_the_callers_own_exception_unchanged_when_it_ran_the_call() {
        // given
        IllegalStateException failure = new IllegalStateException("bug");

        // then
        assertThatThrownBy(() -> cache.getOrCompute(key("q"), TTL, () -> { throw failure; })).isSameAs(failure);
        assertThat(cache.stats().entries()).isZero();
    }

    @Test
    void should_fail_and_store_nothing_when_the_call_returns_null() {
        assertThatThrownBy(() -> cache.getOrCompute(key("q"), TTL, () -> null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("call returned no response");
        assertThat(cache.get(key("q"))).isEmpty();
    }

    @Test
    void should_expire_each_answer_after_its_own_ttl() {
        // given
        cache.put(key("short"), answer("s"), Duration.ofSeconds(10));
        cache.put(key("long"), answer("l"), Duration.ofSeconds(60));

        // when
        advance(Duration.ofSeconds(9));
        boolean shortAt9 = cache.get(key("short")).isPresent();
        advance(Duration.ofSeconds(2));
        boolean shortAt11 = cache.get(key("short")).isPresent();
        boolean longAt11 = cache.get(key("long")).isPresent();
        advance(Duration.ofSeconds(50));
        boolean longAt61 = cache.get(key("long")).isPresent();
        cache.cleanUp();

        // then
        assertThat(shortAt9).isTrue();
        assertThat(shortAt11).isFalse();
        assertThat(longAt11).isTrue();
        assertThat(longAt61).isFalse();
        assertThat(cache.stats()).extracting(CacheStats::entries, CacheStats::evictions, CacheStats::weightBytes)
                .containsExactly(0L, 2L, 0L);
    }

    @Test
    void should_call_again_when_the_stored_answer_has_expired() {
        // given
        AtomicInteger calls = new AtomicInteger();
        cache.getOrCompute(key("q"), Duration.ofSeconds(30), counting(calls, answer("first")));

        // when
        advance(Duration.ofSeconds(31));
        Lookup later = cache.getOrCompute(key("q"), Duration.ofSeconds(30), counting(calls, answer("second")));

        // then
        assertThat(later.status()).isEqualTo(CacheStatus.MISS);
        assertThat(later.response().aiMessage().text()).isEqualTo("second");
        assertThat(calls).hasValue(2);
    }

    @Test
    void should_stay_within_the_weight_bound_when_many_answers_are_stored() {
        // given: room for about ten answers of ~600 bytes
        long bound = 6_000;
        CaffeineResponseCache small = CaffeineResponseCache.builder().maximumWeightBytes(bound).ticker(nanos::get).build();
        int weight = CachedAnswer.weigh(answer("answer number 000"));

        // when
        for (int i = 0; i < 100; i++) {
            small.put(key("question " + i), answer("answer number %03d".formatted(i)), TTL);
        }
        small.cleanUp();

        // then
        CacheStats stats = small.stats();
        assertThat(stats.weightBytes()).isPositive().isLessThanOrEqualTo(bound);
        assertThat(stats.entries()).isLessThanOrEqualTo(bound / weight).isPositive();
        assertThat(stats.evictions()).isEqualTo(100 - stats.entries());
        assertThat(stats.weightBytes()).isEqualTo(stats.entries() * weight);
    }

    @Test
    void should_not_keep_an_answer_heavier_than_the_bound() {
        // given
        CaffeineResponseCache small = CaffeineResponseCache.builder().maximumWeightBytes(1_000).ticker(nanos::get).build();

        // when
        Lookup lookup = small.getOrCompute(key("q"), TTL, () -> answer("x".repeat(1_000)));
        small.cleanUp();

        // then: the caller still gets its answer
        assertThat(lookup.status()).isEqualTo(CacheStatus.MISS);
        assertThat(small.get(key("q"))).isEmpty();
        assertThat(small.stats().evictions()).isEqualTo(1);
    }

    @Test
    void should_weigh_answers_by_their_text_and_tool_calls() {
        // given
        int empty = CachedAnswer.weigh(answer(""));

        // then
        assertThat(CachedAnswer.weigh(answer("x".repeat(100)))).isEqualTo(empty + 200);
        assertThat(registry.get("cache.weight").gauge().value()).isZero();
        cache.put(key("q"), answer("x".repeat(100)), TTL);
        assertThat(registry.get("cache.weight").tag("cache", "coe.responses").gauge().value()).isEqualTo(empty + 200);
        assertThat(registry.get("cache.weight.max").gauge().value())
                .isEqualTo(CaffeineResponseCache.DEFAULT_MAXIMUM_WEIGHT_BYTES);
    }

    @Test
    void should_drop_everything_when_invalidated() {
        // given
        cache.put(key("a"), answer("a"), TTL);
        cache.put(key("b"), answer("b"), TTL);

        // when
        cache.invalidateAll();

        // then
        assertThat(cache.get(key("a"))).isEmpty();
        assertThat(cache.stats().entries()).isZero();
    }

    @Test
    void should_refuse_a_ttl_that_is_not_positive() {
        assertThatThrownBy(() -> cache.put(key("q"), answer("a"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ttl must be positive, but was PT0S");
        assertThatThrownBy(() -> cache.getOrCompute(key("q"), Duration.ofSeconds(-1), () -> answer("a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ttl must be positive, but was PT-1S");
    }

    @Test
    void should_refuse_a_bound_that_is_not_positive() {
        assertThatThrownBy(() -> CaffeineResponseCache.builder().maximumWeightBytes(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maximumWeightBytes must be positive, but was 0");
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    /** Waits, without sleeping, until {@code hits} callers have found the entry (here: the call in flight). */
    private void awaitHits(long hits) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (cache.stats().hits() < hits) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + cache.stats().hits() + " of " + hits + " callers arrived");
            }
            Thread.onSpinWait();
        }
    }

    private static Supplier<ChatResponse> counting(AtomicInteger calls, ChatResponse response) {
        return () -> {
            calls.incrementAndGet();
            return response;
        };
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
