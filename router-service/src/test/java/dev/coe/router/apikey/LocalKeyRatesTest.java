package dev.coe.router.apikey;

import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LocalKeyRatesTest {

    private final ManualTime time = new ManualTime();
    private final LocalKeyRates rates = new LocalKeyRates(time);

    @Test
    void should_admit_the_limit_at_once_and_count_down_what_remains() {
        ClientKey key = key("key_a", 3);

        Allowance first = rates.takeRequest(key);
        Allowance second = rates.takeRequest(key);
        Allowance third = rates.takeRequest(key);

        assertThat(first.admitted()).isTrue();
        assertThat(first.remaining()).isEqualTo(2);
        assertThat(first.limit()).isEqualTo(3);
        assertThat(first.retryAfter()).isZero();
        // one request refills every 20 s, so one used leaves the bucket 20 s short of full
        assertThat(first.untilFull()).isEqualTo(Duration.ofSeconds(20));
        assertThat(second.remaining()).isEqualTo(1);
        assertThat(third.admitted()).isTrue();
        assertThat(third.remaining()).isZero();
        assertThat(third.untilFull()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void should_refuse_when_spent_and_say_when_the_next_request_is_admitted() {
        ClientKey key = key("key_a", 3);
        spend(key, 3);

        Allowance refused = rates.takeRequest(key);

        assertThat(refused.admitted()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void should_refill_continuously_not_at_the_end_of_a_fixed_minute() {
        ClientKey key = key("key_a", 3);
        spend(key, 3);

        time.advance(Duration.ofSeconds(19));
        assertThat(rates.takeRequest(key).admitted()).isFalse();
        time.advance(Duration.ofSeconds(1));
        assertThat(rates.takeRequest(key).admitted()).isTrue();
        assertThat(rates.takeRequest(key).admitted()).isFalse();
    }

    @Test
    void should_never_admit_twice_the_limit_across_the_edge_of_a_minute() {
        ClientKey key = key("key_a", 60);
        assertThat(rates.takeRequest(key).admitted()).isTrue();
        time.advance(Duration.ofSeconds(59));

        // a burst one second before the minute ends and another one second after: a window of fixed minutes counted
        // from the first request would admit 60 in each, 120 within two seconds
        int admitted = burst(key, 100);
        time.advance(Duration.ofSeconds(2));
        admitted += burst(key, 100);

        assertThat(admitted).isEqualTo(60 + 2);
    }

    @Test
    void should_count_each_key_apart() {
        ClientKey a = key("key_a", 1);
        ClientKey b = key("key_b", 1);

        assertThat(rates.takeRequest(a).admitted()).isTrue();
        assertThat(rates.takeRequest(b).admitted()).isTrue();
        assertThat(rates.takeRequest(a).admitted()).isFalse();
    }

    @Test
    void should_admit_while_tokens_are_left_and_charge_each_answer_afterwards() {
        ClientKey key = tokensKey("key_t", 100);

        Allowance fresh = rates.checkTokens(key);
        rates.chargeTokens(key, 60);
        Allowance afterOne = rates.checkTokens(key);
        rates.chargeTokens(key, 70);
        Allowance inDebt = rates.checkTokens(key);

        assertThat(fresh.admitted()).isTrue();
        assertThat(fresh.remaining()).isEqualTo(100);
        assertThat(fresh.untilFull()).isZero();
        // checking takes nothing; an answer of 60 tokens leaves 40, and 60 refill in 36 s
        assertThat(afterOne.admitted()).isTrue();
        assertThat(afterOne.remaining()).isEqualTo(40);
        assertThat(afterOne.untilFull()).isEqualTo(Duration.ofSeconds(36));
        // an answer that cost more than was left puts the key 30 below zero: refused until one token is back
        assertThat(inDebt.admitted()).isFalse();
        assertThat(inDebt.remaining()).isZero();
        assertThat(inDebt.retryAfter()).isEqualTo(Duration.ofMillis(18_600));
        assertThat(inDebt.untilFull()).isEqualTo(Duration.ofSeconds(78));
    }

    @Test
    void should_admit_again_once_the_tokens_have_refilled_above_zero() {
        ClientKey key = tokensKey("key_t", 100);
        rates.chargeTokens(key, 130);

        time.advance(Duration.ofMillis(18_500));
        assertThat(rates.checkTokens(key).admitted()).isFalse();
        time.advance(Duration.ofMillis(100));
        assertThat(rates.checkTokens(key).admitted()).isTrue();
    }

    @Test
    void should_count_a_keys_requests_and_tokens_apart() {
        ClientKey key = new ClientKey("key_both", "both", "hash", "sk-coe-abcd", Set.of(), Set.of(), 1, 100, null, 0,
                "admin", Instant.EPOCH, null, null);

        rates.chargeTokens(key, 100);

        assertThat(rates.takeRequest(key).admitted()).isTrue();
        assertThat(rates.checkTokens(key).admitted()).isFalse();
    }

    private int burst(ClientKey key, int requests) {
        int admitted = 0;
        for (int i = 0; i < requests; i++) {
            admitted += rates.takeRequest(key).admitted() ? 1 : 0;
        }
        return admitted;
    }

    private void spend(ClientKey key, int requests) {
        for (int i = 0; i < requests; i++) {
            assertThat(rates.takeRequest(key).admitted()).isTrue();
        }
    }

    static ClientKey key(String id, int requestsPerMinute) {
        return new ClientKey(id, id, "hash-" + id, "sk-coe-abcd", Set.of(), Set.of(), requestsPerMinute, null, null, 0, "admin",
                Instant.EPOCH, null, null);
    }

    static ClientKey tokensKey(String id, int tokensPerMinute) {
        return new ClientKey(id, id, "hash-" + id, "sk-coe-abcd", Set.of(), Set.of(), null, tokensPerMinute, null, 0, "admin",
                Instant.EPOCH, null, null);
    }

    /** A clock the test moves. */
    static final class ManualTime implements TimeMeter {
        private long nanos = 1_000_000_000L;

        void advance(Duration d) {
            nanos += d.toNanos();
        }

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }
}
