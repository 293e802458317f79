package dev.coe.router.chat;

import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertHealth;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.ExpertRegistry;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.Feature;
import dev.coe.gateway.NonRetriableExpertException;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.RetriableExpertException;
import dev.coe.router.routing.RoutingDecision;
import dev.coe.router.system.ApiException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FallbackChainTest {

    /** An expert that is never called: these tests drive the chain's bookkeeping directly. */
    private record FakeExpert(ExpertConfig config, Set<Feature> supportedFeatures) implements Expert {
        static FakeExpert of(String id, Set<Feature> features) {
            return new FakeExpert(ExpertConfig.builder(id).provider(ProviderKind.SIMULATED).build(), features);
        }

        public ExpertId id() { return config.id(); }
        public ChatResponse chat(ExpertRequest request) { throw new AssertionError("not called"); }
        public void stream(ExpertRequest request, StreamingChatResponseHandler handler) { throw new AssertionError("not called"); }
        public ExpertHealth checkHealth() { return ExpertHealth.up("fake"); }
    }

    private static final FakeExpert FULL = FakeExpert.of("full", EnumSet.allOf(Feature.class));
    private static final FakeExpert NO_SEED = FakeExpert.of("no-seed", EnumSet.complementOf(EnumSet.of(Feature.SEED)));
    private static final ExpertRegistry REGISTRY = ExpertRegistry.of(List.of(FULL, NO_SEED));

    private static FallbackChain chain(Set<Feature> features, String... ids) {
        RoutingDecision decision = new RoutingDecision("auto", "coding", 0.9, Map.of(),
                List.of(ids).stream().map(ExpertId::of).toList(), RoutingDecision.Reason.CATEGORY, 1000);
        return new FallbackChain(decision, REGISTRY, features, new RouterMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }

    @Test
    void should_skip_expert_and_say_why_when_it_cannot_honour_a_requested_option() {
        // when
        FallbackChain chain = chain(EnumSet.of(Feature.SEED), "no-seed", "full");

        // then
        assertThat(chain.candidates()).containsExactly(FULL);
        assertThat(chain.attemptsHeaderValue()).isEqualTo("no-seed=skipped");
        assertThat(chain.attempts().getFirst().detail()).contains("seed");
    }

    @Test
    void should_refuse_with_400_naming_the_parameter_when_no_expert_can_honour_it() {
        assertThatThrownBy(() -> chain(EnumSet.of(Feature.SEED), "no-seed"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.param()).isEqualTo("seed");
                    assertThat(e.code()).isEqualTo("unsupported_parameter");
                });
    }

    @Test
    void should_give_a_failure_its_category_without_repeating_it_in_the_attempt() {
        // given
        FallbackChain chain = chain(Set.of(), "full", "no-seed");
        RetriableExpertException failure = new RetriableExpertException(FULL.id(), RetriableExpertException.Reason.SERVER_ERROR,
                "HTTP 503: overloaded", null);

        // when
        chain.failed(FULL, failure);

        // then
        assertThat(chain.inRoute(failure).category()).contains("coding");
        assertThat(chain.inRoute(failure).getMessage()).isEqualTo("full (category 'coding'): HTTP 503: overloaded");
        assertThat(chain.attempts().getFirst().detail()).isEqualTo("HTTP 503: overloaded");
    }

    @Test
    void should_leave_a_failure_without_category_when_the_client_named_the_expert() {
        RoutingDecision direct = new RoutingDecision("full", RoutingDecision.NO_CATEGORY, 1.0, Map.of(),
                List.of(FULL.id()), RoutingDecision.Reason.DIRECT, 0);
        FallbackChain chain = new FallbackChain(direct, REGISTRY, Set.of(),
                new RouterMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
        RetriableExpertException failure = new RetriableExpertException(FULL.id(), RetriableExpertException.Reason.TIMEOUT, "late", null);

        assertThat(chain.inRoute(failure)).isSameAs(failure);
    }

    @Test
    void should_answer_504_when_every_expert_timed_out() {
        // given
        FallbackChain chain = chain(Set.of(), "full", "no-seed");

        // when
        chain.timedOut(FULL, Duration.ofSeconds(1));
        chain.failed(NO_SEED, new RetriableExpertException(NO_SEED.id(), RetriableExpertException.Reason.TIMEOUT, "slow", null));
        ApiException e = chain.exhausted(false);

        // then
        assertThat(e.status()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
        assertThat(e.getMessage()).contains("full (timeout").contains("no-seed (timeout");
        assertThat(e.headers().getFirst("x-coe-attempts")).isEqualTo("full=timeout,no-seed=timeout");
    }

    @Test
    void should_answer_429_with_shortest_retry_after_when_every_expert_is_rate_limited() {
        // given
        FallbackChain chain = chain(Set.of(), "full", "no-seed");

        // when
        chain.failed(FULL, new RetriableExpertException(FULL.id(), RetriableExpertException.Reason.RATE_LIMITED, "429", Duration.ofSeconds(7), null));
        chain.failed(NO_SEED, new RetriableExpertException(NO_SEED.id(), RetriableExpertException.Reason.RATE_LIMITED, "429", Duration.ofSeconds(3), null));
        ApiException e = chain.exhausted(false);

        // then
        assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(e.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("3");
    }

    @Test
    void should_answer_503_when_failures_are_mixed() {
        // given
        FallbackChain chain = chain(Set.of(), "full", "no-seed");

        // when
        chain.failed(FULL, new RetriableExpertException(FULL.id(), RetriableExpertException.Reason.UNREACHABLE, "refused", null));
        chain.timedOut(NO_SEED, Duration.ofSeconds(1));

        // then
        assertThat(chain.exhausted(false).status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }

    @Test
    void should_answer_400_at_once_when_an_expert_rejects_the_request_as_invalid() {
        // given
        FallbackChain chain = chain(Set.of(), "full", "no-seed");

        // then
        assertThatThrownBy(() -> chain.failed(FULL, new NonRetriableExpertException(FULL.id(), 400, "context too long", null)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.code()).isEqualTo("expert_rejected_request");
                    assertThat(e.getMessage()).contains("context too long");
                });
    }

    @Test
    void should_move_on_then_answer_400_when_experts_refuse_before_sending() {
        // given
        FallbackChain chain = chain(Set.of(), "full", "no-seed");

        // when
        chain.failed(FULL, new NonRetriableExpertException(FULL.id(), 0, "root keyword 'additionalProperties' cannot be sent", null));
        chain.failed(NO_SEED, new NonRetriableExpertException(NO_SEED.id(), 0, "root keyword 'additionalProperties' cannot be sent", null));
        ApiException e = chain.exhausted(false);

        // then
        assertThat(chain.attemptsHeaderValue()).isEqualTo("full=skipped,no-seed=skipped");
        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(e.code()).isEqualTo("unsupported_parameter");
    }

    @Test
    void should_treat_wrong_credentials_as_unavailable_and_move_on_when_expert_answers_401() {
        // given
        FallbackChain chain = chain(Set.of(), "full", "no-seed");

        // when
        chain.failed(FULL, new NonRetriableExpertException(FULL.id(), 401, "bad key", null));
        chain.succeeded(NO_SEED, dev.coe.gateway.cache.CacheStatus.BYPASS);

        // then
        assertThat(chain.attemptsHeaderValue()).isEqualTo("full=rejected,no-seed=ok");
    }
}
