package dev.coe.router.apikey;

import dev.coe.router.shared.RedisState;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request rates shared through the real Redis of the development and CI machines (127.0.0.1:6379; override with
 * {@code -Dcoe.test.redis-url}), each test under a key prefix of its own. Two {@link RedisState}s stand for two
 * replicas: each has its own connections, and only Redis joins them.
 */
class SharedKeyRatesTest {

    static final String REDIS_URL = System.getProperty("coe.test.redis-url", "redis://127.0.0.1:6379");
    private static final Duration TIMEOUT = Duration.ofMillis(100);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofMillis(300);

    private final String prefix = "coe-test-" + UUID.randomUUID();
    private final List<RedisState> replicas = new ArrayList<>();

    @AfterEach
    void close() {
        replicas.forEach(RedisState::close);
    }

    @Test
    void should_admit_a_keys_limit_once_across_two_replicas() {
        SharedKeyRates first = replica();
        SharedKeyRates second = replica();
        ClientKey key = LocalKeyRatesTest.key("key_shared", 3);

        Allowance a = first.takeRequest(key);
        Allowance b = second.takeRequest(key);
        Allowance c = first.takeRequest(key);
        Allowance overOnSecond = second.takeRequest(key);
        Allowance overOnFirst = first.takeRequest(key);

        assertThat(List.of(a, b, c)).allMatch(Allowance::admitted);
        assertThat(List.of(a.remaining(), b.remaining(), c.remaining())).containsExactly(2L, 1L, 0L);
        assertThat(overOnSecond.admitted()).isFalse();
        assertThat(overOnFirst.admitted()).isFalse();
        // one request refills every 20 s
        assertThat(overOnSecond.retryAfter()).isBetween(Duration.ofSeconds(19), Duration.ofSeconds(20));
        assertThat(first.sharedChecks() + second.sharedChecks()).isEqualTo(5);
        assertThat(first.localChecks() + second.localChecks()).isZero();
    }

    @Test
    void should_see_on_one_replica_the_tokens_charged_on_the_other() {
        SharedKeyRates first = replica();
        SharedKeyRates second = replica();
        ClientKey key = LocalKeyRatesTest.tokensKey("key_tokens", 100);

        Allowance before = second.checkTokens(key);
        first.chargeTokens(key, 60);
        Allowance after = second.checkTokens(key);
        first.chargeTokens(key, 60);
        Allowance over = second.checkTokens(key);

        assertThat(before.remaining()).isEqualTo(100);
        // a few tokens may refill between the calls: one every 0.6 s
        assertThat(after.admitted()).isTrue();
        assertThat(after.remaining()).isBetween(40L, 41L);
        assertThat(over.admitted()).isFalse();
        assertThat(over.retryAfter()).isBetween(Duration.ofSeconds(12), Duration.ofMillis(12_600));
    }

    @Test
    void should_leave_nothing_in_redis_after_the_bucket_would_be_full_again() {
        SharedKeyRates rates = replica();
        ClientKey key = LocalKeyRatesTest.key("key_ttl", 3);

        rates.takeRequest(key);

        try (Redis redis = new Redis()) {
            String stored = prefix + ":rate:" + KeyRates.requestsBucket(key);
            // 20 s to refill the one request taken, plus the 10 s margin
            assertThat(redis.connection.sync().pttl(stored)).isBetween(1L, 30_000L);
        }
    }

    @Test
    void should_count_alone_while_redis_does_not_answer_and_share_again_after() throws Exception {
        SharedKeyRates rates = replica();
        ClientKey key = LocalKeyRatesTest.key("key_pause", 2);
        Allowance shared = rates.takeRequest(key);

        Allowance stalled;
        Allowance next;
        long stalledNanos;
        long nextNanos;
        try (Redis redis = new Redis()) {
            // Redis stalls for 400 ms: no command of any client is answered meanwhile
            redis.connection.sync().clientPause(400);
            long started = System.nanoTime();
            stalled = rates.takeRequest(key);
            stalledNanos = System.nanoTime() - started;
            started = System.nanoTime();
            next = rates.takeRequest(key);
            nextNanos = System.nanoTime() - started;
            Thread.sleep(900);
        }
        Allowance sharedAgain = rates.takeRequest(key);

        assertThat(shared.admitted()).isTrue();
        // the stalled check gave up after the timeout and asked this replica's own bucket, which was full
        assertThat(Duration.ofNanos(stalledNanos)).isBetween(TIMEOUT, Duration.ofMillis(350));
        assertThat(stalled.admitted()).isTrue();
        assertThat(stalled.remaining()).isEqualTo(1);
        // the next did not wait on Redis again
        assertThat(Duration.ofNanos(nextNanos)).isLessThan(TIMEOUT);
        assertThat(next.remaining()).isZero();
        assertThat(rates.localChecks()).isEqualTo(2);
        // after the retry pause Redis is asked again: it counted the first request and (late) the stalled one, so the
        // key's two are spent
        assertThat(sharedAgain.admitted()).isFalse();
        assertThat(rates.sharedChecks()).isEqualTo(2);
    }

    private SharedKeyRates replica() {
        RedisState state = RedisState.connect(REDIS_URL, prefix, TIMEOUT);
        replicas.add(state);
        return new SharedKeyRates(state.buckets().store().orElseThrow(), TIMEOUT, RETRY_AFTER_FAILURE,
                new LocalKeyRates());
    }

    /** A plain connection of the test's own, to look into Redis and to stall it. */
    private static final class Redis implements AutoCloseable {
        final RedisClient client = RedisClient.create(REDIS_URL);
        final StatefulRedisConnection<String, String> connection = client.connect();

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }
}
