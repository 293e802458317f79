package dev.coe.gateway.resilience;

import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertFactory;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.RetriableExpertException;
import dev.coe.gateway.RetriableExpertException.Reason;
import dev.coe.gateway.stub.OpenAiStubServer;
import dev.coe.gateway.stub.RecordingHandler;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The resilience stack of one expert against a real HTTP stub of an OpenAI-compatible server. Time is a
 * {@link ManualClock}: timeouts, backoff and the breaker's wait happen when the test advances it, never by sleeping.
 * Each test checks the behaviour and the counters that report it.
 */
class GuardedExpertTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final OpenAiStubServer stub = new OpenAiStubServer();
    private final ManualClock clock = new ManualClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ExpertGuards guards = new ExpertGuards(meters, clock);

    @AfterEach
    void stop() {
        stub.close();
    }

    private GuardedExpert guarded(ResilienceConfig.Builder resilience) {
        return guarded(resilience, Optional::empty);
    }

    private GuardedExpert guarded(ResilienceConfig.Builder resilience, java.util.function.Supplier<Optional<String>> overload) {
        ExpertConfig config = ExpertConfig.builder("local").provider(ProviderKind.OPENAI_COMPATIBLE)
                .baseUrl(stub.baseUrl()).model("m").requestTimeout(Duration.ofSeconds(60))
                .resilience(resilience.build()).build();
        Expert expert = ExpertFactory.of(Map.<String, String>of()::get).create(config);
        return guards.guard(expert, overload);
    }

    private static ResilienceConfig.Builder noRetry() {
        return ResilienceConfig.builder().maxAttempts(1);
    }

    private static ExpertRequest request() {
        return ExpertRequest.builder(List.of(UserMessage.from("What is 2 + 2?"))).build();
    }

    private Deadline deadline() {
        return Deadline.after(clock, Duration.ofMinutes(5));
    }

    private double counter(String name, String type) {
        var c = meters.find(name).tag("expert", "local").tag("type", type).counter();
        return c == null ? 0 : c.count();
    }

    private static void await(BooleanSupplier condition) {
        long until = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not met within " + WAIT);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static Reason reasonOf(Throwable t) {
        assertThat(t).isInstanceOf(RetriableExpertException.class);
        return ((RetriableExpertException) t).reason();
    }

    @Test
    void should_open_breaker_after_5xx_burst_and_refuse_without_calling_the_expert() {
        GuardedExpert expert = guarded(noRetry().slidingWindowSize(4).minimumCalls(4).failureRateThreshold(50));
        for (int i = 0; i < 4; i++) {
            stub.failWithStatus(503);
        }
        for (int i = 0; i < 4; i++) {
            Throwable e = catchThrowableOfType(RetriableExpertException.class, () -> expert.chat(request(), deadline()));
            assertThat(reasonOf(e)).isEqualTo(Reason.SERVER_ERROR);
        }

        Throwable refused = catchThrowableOfType(RetriableExpertException.class, () -> expert.chat(request(), deadline()));

        assertThat(reasonOf(refused)).isEqualTo(Reason.CIRCUIT_OPEN);
        assertThat(refused).hasMessageContaining("circuit breaker is open after 100% failed and 0% slow calls");
        assertThat(expert.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(stub.chatRequests()).hasSize(4);
        assertThat(counter("coe.expert.errors", "server_error")).isEqualTo(4);
        assertThat(counter("coe.expert.errors", "circuit_open")).isEqualTo(1);
        assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "local").tag("state", "open").gauge().value()).isEqualTo(1);
    }

    @Test
    void should_let_probes_through_after_the_open_wait_and_close_when_the_expert_healed() {
        GuardedExpert expert = guarded(noRetry().slidingWindowSize(2).minimumCalls(2).halfOpenCalls(2)
                .openStateWait(Duration.ofSeconds(30)));
        stub.failWithStatus(500);
        stub.failWithStatus(500);
        assertThatThrownBy(() -> expert.chat(request(), deadline())).isInstanceOf(RetriableExpertException.class);
        assertThatThrownBy(() -> expert.chat(request(), deadline())).isInstanceOf(RetriableExpertException.class);
        assertThat(expert.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);

        clock.advance(Duration.ofSeconds(29));
        assertThat(reasonOf(catchThrowableOfType(RetriableExpertException.class, () -> expert.chat(request(), deadline()))))
                .isEqualTo(Reason.CIRCUIT_OPEN);
        clock.advance(Duration.ofMillis(1001));
        ChatResponse first = expert.chat(request(), deadline());
        assertThat(expert.circuitState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        expert.chat(request(), deadline());

        assertThat(first.aiMessage().text()).isNotBlank();
        assertThat(expert.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(stub.chatRequests()).hasSize(4);
        assertThat(counter("coe.expert.errors", "circuit_open")).isEqualTo(1);
    }

    @Test
    void should_wait_the_retry_after_of_a_429_and_then_answer() {
        GuardedExpert expert = guarded(ResilienceConfig.builder().maxAttempts(2).maxRetryAfter(Duration.ofSeconds(10)));
        stub.failWithStatus(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}", Map.of("Retry-After", "3"));
        stub.replyText("Four.");

        ChatResponse response = expert.chat(request(), deadline());

        assertThat(response.aiMessage().text()).isEqualTo("Four.");
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(3));
        assertThat(stub.chatRequests()).hasSize(2);
        assertThat(counter("coe.expert.retries", "rate_limited")).isEqualTo(1);
        assertThat(counter("coe.expert.errors", "rate_limited")).isEqualTo(1);
        assertThat(expert.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void should_move_on_at_once_when_retry_after_is_longer_than_honoured() {
        GuardedExpert expert = guarded(ResilienceConfig.builder().maxAttempts(3).maxRetryAfter(Duration.ofSeconds(5)));
        stub.failWithStatus(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("Retry-After", "60"));

        Throwable e = catchThrowableOfType(RetriableExpertException.class, () -> expert.chat(request(), deadline()));

        assertThat(reasonOf(e)).isEqualTo(Reason.RATE_LIMITED);
        assertThat(((RetriableExpertException) e).retryAfter()).contains(Duration.ofSeconds(60));
        assertThat(clock.sleeps()).isEmpty();
        assertThat(stub.chatRequests()).hasSize(1);
    }

    @Test
    void should_retry_a_5xx_with_backoff_but_not_a_400() {
        GuardedExpert expert = guarded(ResilienceConfig.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(100))
                .backoffMultiplier(2).backoffJitter(0.0));
        stub.failWithStatus(502);
        stub.failWithStatus(503);
        stub.replyText("ok");

        assertThat(expert.chat(request(), deadline()).aiMessage().text()).isEqualTo("ok");
        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));

        stub.failWithStatus(400, "{\"error\":{\"message\":\"context too long\",\"type\":\"invalid_request_error\"}}", Map.of());
        assertThatThrownBy(() -> expert.chat(request(), deadline())).isInstanceOf(dev.coe.gateway.NonRetriableExpertException.class);
        assertThat(stub.chatRequests()).hasSize(4);
        assertThat(counter("coe.expert.retries", "server_error")).isEqualTo(2);
    }

    @Test
    void should_not_retry_when_the_backoff_would_outlast_the_deadline() {
        GuardedExpert expert = guarded(ResilienceConfig.builder().maxAttempts(3).initialBackoff(Duration.ofSeconds(2)).backoffJitter(0.0));
        stub.failWithStatus(503);

        assertThatThrownBy(() -> expert.chat(request(), Deadline.after(clock, Duration.ofSeconds(1))))
                .isInstanceOf(RetriableExpertException.class);
        assertThat(stub.chatRequests()).hasSize(1);
        assertThat(clock.sleeps()).isEmpty();
    }

    @Test
    void should_time_out_a_call_that_gets_no_answer_and_count_it() throws Exception {
        GuardedExpert expert = guarded(noRetry());
        stub.hang();
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() ->
                catchThrowableOfType(RetriableExpertException.class, () -> expert.chat(request(), Deadline.after(clock, Duration.ofSeconds(20)))));
        await(() -> stub.chatRequests().size() == 1);

        clock.advance(Duration.ofSeconds(20));

        Throwable e = outcome.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(reasonOf(e)).isEqualTo(Reason.TIMEOUT);
        assertThat(e).hasMessageContaining("no answer within 20000 ms");
        assertThat(counter("coe.expert.errors", "timeout")).isEqualTo(1);
    }

    @Test
    void should_set_the_deadline_timer_before_the_request_leaves() throws Exception {
        // The interleaving CI once hit: the request reached the expert, the clock moved on, and only then was the
        // timer set, counting from the moved clock, so the call outlived its deadline. This clock gives the request
        // every chance to leave first: each schedule waits up to 300 ms for it and notes whether it arrived.
        List<Boolean> requestSeenWhenTimerWasSet = new java.util.concurrent.CopyOnWriteArrayList<>();
        GatewayClock watching = new GatewayClock() {
            @Override
            public long nanoTime() {
                return clock.nanoTime();
            }

            @Override
            public java.time.Clock wallClock() {
                return clock.wallClock();
            }

            @Override
            public Cancellable schedule(Runnable task, Duration delay) {
                long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
                while (stub.chatRequests().isEmpty() && System.nanoTime() < until) {
                    Thread.onSpinWait();
                    Thread.yield();
                }
                requestSeenWhenTimerWasSet.add(!stub.chatRequests().isEmpty());
                return clock.schedule(task, delay);
            }

            @Override
            public void sleep(Duration duration) {
                clock.sleep(duration);
            }
        };
        ExpertConfig config = ExpertConfig.builder("local").provider(ProviderKind.OPENAI_COMPATIBLE)
                .baseUrl(stub.baseUrl()).model("m").requestTimeout(Duration.ofSeconds(20))
                .resilience(noRetry().build()).build();
        GuardedExpert expert = new ExpertGuards(meters, watching)
                .guard(ExpertFactory.of(Map.<String, String>of()::get).create(config), Optional::empty);
        stub.hang();
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() ->
                catchThrowableOfType(RetriableExpertException.class, () -> expert.chat(request(), deadline())));
        await(() -> stub.chatRequests().size() == 1);

        clock.advance(Duration.ofSeconds(20));

        assertThat(reasonOf(outcome.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))).isEqualTo(Reason.TIMEOUT);
        assertThat(requestSeenWhenTimerWasSet).containsOnly(false);
    }

    @Test
    void should_time_out_a_stream_without_first_token_and_cancel_nothing_twice() {
        GuardedExpert expert = guarded(noRetry().firstTokenTimeout(Duration.ofSeconds(5)));
        stub.hang();
        RecordingHandler handler = new RecordingHandler();
        expert.stream(request(), deadline(), handler);
        await(() -> stub.chatRequests().size() == 1);

        clock.advance(Duration.ofSeconds(5));

        Throwable e = handler.awaitError(WAIT);
        assertThat(reasonOf(e)).isEqualTo(Reason.TIMEOUT);
        assertThat(e).hasMessageContaining("no first token within 5000 ms");
        assertThat(handler.partials()).isEmpty();
        assertThat(expert.callsInFlight()).isZero();
        assertThat(counter("coe.expert.errors", "timeout")).isEqualTo(1);
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void should_end_the_stream_with_an_error_and_no_retry_when_the_connection_drops_after_the_first_byte() {
        GuardedExpert expert = guarded(ResilienceConfig.builder().maxAttempts(3));
        stub.replyText("one two three four five six");
        stub.dropConnectionAfterChunks(2);
        RecordingHandler handler = new RecordingHandler();

        expert.stream(request(), deadline(), handler);

        Throwable e = handler.awaitError(WAIT);
        assertThat(reasonOf(e)).isEqualTo(Reason.CONNECTION_DROPPED);
        assertThat(handler.partials()).isNotEmpty();
        assertThat(stub.chatRequests()).hasSize(1);
        assertThat(counter("coe.expert.retries", "connection_dropped")).isZero();
        assertThat(counter("coe.expert.errors", "connection_dropped")).isEqualTo(1);
    }

    @Test
    void should_retry_a_stream_that_fails_before_its_first_byte() {
        GuardedExpert expert = guarded(ResilienceConfig.builder().maxAttempts(2).backoffJitter(0.0));
        stub.failWithStatus(503);
        stub.replyText("Four.");
        RecordingHandler handler = new RecordingHandler();

        expert.stream(request(), deadline(), handler);
        await(() -> counter("coe.expert.retries", "server_error") == 1);
        clock.advance(Duration.ofMillis(200));

        assertThat(handler.awaitResponse(WAIT).aiMessage().text()).isEqualTo("Four.");
        assertThat(String.join("", handler.partials())).isEqualTo("Four.");
        assertThat(stub.chatRequests()).hasSize(2);
        assertThat(counter("coe.expert.retries", "server_error")).isEqualTo(1);
        assertThat(expert.callsInFlight()).isZero();
    }

    @Test
    void should_refuse_at_once_when_the_bulkhead_is_full_and_free_the_slot_when_the_caller_cancels() {
        GuardedExpert expert = guarded(noRetry().maxConcurrentCalls(1));
        stub.hang();
        StreamingHandle first = expert.stream(request(), deadline(), new RecordingHandler());
        await(() -> stub.chatRequests().size() == 1);

        Throwable refused = catchThrowableOfType(RetriableExpertException.class, () -> expert.chat(request(), deadline()));
        assertThat(reasonOf(refused)).isEqualTo(Reason.BULKHEAD_FULL);
        assertThat(counter("coe.expert.errors", "bulkhead_full")).isEqualTo(1);
        assertThat(meters.find("resilience4j.bulkhead.available.concurrent.calls").tag("name", "local").gauge().value()).isZero();

        first.cancel();
        stub.reset();
        assertThat(expert.callsInFlight()).isZero();
        assertThat(expert.chat(request(), deadline()).aiMessage().text()).isNotBlank();
        assertThat(stub.chatRequests()).hasSize(1);
    }

    @Test
    void should_refuse_without_calling_when_rate_limited_overloaded_or_past_the_deadline() {
        GuardedExpert limited = guarded(noRetry().rateLimitPerPeriod(1).rateLimitPeriod(Duration.ofHours(1)));
        limited.chat(request(), deadline());
        assertThat(reasonOf(catchThrowableOfType(RetriableExpertException.class, () -> limited.chat(request(), deadline()))))
                .isEqualTo(Reason.RATE_LIMITED);

        GuardedExpert busy = guarded(noRetry(), () -> Optional.of("vllm:num_requests_waiting 12 > limit 8"));
        Throwable overloaded = catchThrowableOfType(RetriableExpertException.class, () -> busy.chat(request(), deadline()));
        assertThat(reasonOf(overloaded)).isEqualTo(Reason.OVERLOADED);
        assertThat(overloaded).hasMessageContaining("num_requests_waiting 12 > limit 8");

        GuardedExpert late = guarded(noRetry());
        Deadline past = Deadline.after(clock, Duration.ofMillis(1));
        clock.advance(Duration.ofMillis(1));
        assertThat(reasonOf(catchThrowableOfType(RetriableExpertException.class, () -> late.chat(request(), past))))
                .isEqualTo(Reason.TIMEOUT);

        assertThat(stub.chatRequests()).hasSize(1);
        assertThat(counter("coe.expert.errors", "overloaded")).isEqualTo(1);
    }
}
