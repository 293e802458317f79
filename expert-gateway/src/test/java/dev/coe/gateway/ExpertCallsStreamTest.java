package dev.coe.gateway;

import dev.coe.gateway.cache.CacheDirective;
import dev.coe.gateway.cache.CacheKey;
import dev.coe.gateway.cache.CacheStatus;
import dev.coe.gateway.cache.CaffeineResponseCache;
import dev.coe.gateway.resilience.Deadline;
import dev.coe.gateway.resilience.GatewayClock;
import dev.coe.gateway.stub.RecordingHandler;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Identical streaming requests in flight share one upstream stream. The expert here is driven by hand, so every
 * interleaving is set by the test, not by timing.
 */
class ExpertCallsStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CaffeineResponseCache cache = CaffeineResponseCache.builder().meterRegistry(registry).build();
    private final ExpertCalls calls = new ExpertCalls(cache);
    private final HandDrivenExpert expert = new HandDrivenExpert();
    private final Deadline deadline = Deadline.after(GatewayClock.system(), Duration.ofMinutes(1));

    @Test
    void should_call_the_expert_once_when_identical_streams_overlap() {
        // given: a stream that has sent its first token
        RecordingHandler first = new RecordingHandler();
        ExpertCalls.Stream a = calls.stream(expert, question(), deadline, CacheDirective.DEFAULT, first);
        expert.call(0).token("Paris ");

        // when: an identical request arrives, then the expert finishes
        RecordingHandler second = new RecordingHandler();
        ExpertCalls.Stream b = calls.stream(expert, question(), deadline, CacheDirective.DEFAULT, second);
        expert.call(0).token("is the capital.");
        expert.call(0).complete();

        // then: one upstream call; both clients got the whole answer, the second from the start
        assertThat(expert.calls).hasSize(1);
        assertThat(a.cache()).isEqualTo(CacheStatus.MISS);
        assertThat(b.cache()).isEqualTo(CacheStatus.HIT);
        assertThat(first.awaitResponse(WAIT).aiMessage().text()).isEqualTo("Paris is the capital.");
        assertThat(second.awaitResponse(WAIT).aiMessage().text()).isEqualTo("Paris is the capital.");
        assertThat(first.partials()).containsExactly("Paris ", "is the capital.");
        assertThat(second.partials()).containsExactly("Paris ", "is the capital.");
        assertThat(registry.get("cache.coalesced").functionCounter().count()).isEqualTo(1.0);

        // and: the answer is stored, so a later request is replayed without a call
        RecordingHandler third = new RecordingHandler();
        ExpertCalls.Stream c = calls.stream(expert, question(), deadline, CacheDirective.DEFAULT, third);
        assertThat(c.cache()).isEqualTo(CacheStatus.HIT);
        assertThat(third.awaitResponse(WAIT).aiMessage().text()).isEqualTo("Paris is the capital.");
        assertThat(expert.calls).hasSize(1);
    }

    @Test
    void should_keep_streaming_to_the_others_when_the_client_that_started_it_leaves() {
        // given
        RecordingHandler first = new RecordingHandler();
        ExpertCalls.Stream a = calls.stream(expert, question(), deadline, CacheDirective.DEFAULT, first);
        expert.call(0).token("Paris ");
        RecordingHandler second = new RecordingHandler();
        calls.stream(expert, question(), deadline, CacheDirective.DEFAULT, second);

        // when: the first client goes away
        a.handle().cancel();
        expert.call(0).token("is the capital.");
        expert.call(0).complete();

        // then: the upstream call was not stopped, the second client got everything, the first nothing more
        assertThat(expert.call(0).handle.isCancelled()).isFalse();
        assertThat(a.handle().isCancelled()).isTrue();
        assertThat(second.awaitResponse(WAIT).aiMessage().text()).isEqualTo("Paris is the capital.");
        assertThat(first.partials()).containsExactly("Paris ");
        assertThat(first.completions()).isZero();
        assertThat(cache.get(CacheKey.of(expert.config(), question()))).isPresent();
    }

    @Test
    void should_stop_the_expert_and_start_afresh_when_every_client_left() {
        // given: two clients on one stream
        ExpertCalls.Stream a = calls.stream(expert, question(), deadline, CacheDirective.DEFAULT, new RecordingHandler());
        expert.call(0).token("Paris ");
        ExpertCalls.Stream b = calls.stream(expert, question(), deadline, CacheDirective.DEFAULT, new RecordingHandler());

        // when: both leave, and the expert (which had not noticed yet) completes
        a.handle().cancel();
        b.handle().cancel();
        expert.call(0).token("is the capital.");
        expert.call(0).complete();

        // then: the upstream call was cancelled, nothing was stored, and the next request calls the expert again
        assertThat(expert.call(0).handle.isCancelled()).isTrue();
        assertThat(cache.get(CacheKey.of(expert.config(), question()))).isEmpty();
        RecordingHandler next = new RecordingHandler();
        ExpertCalls.Stream c = calls.stream(expert, question(), deadline, CacheDirective.DEFAULT, next);
        assertThat(c.cache()).isEqualTo(CacheStatus.MISS);
        assertThat(expert.calls).hasSize(2);
    }

    @Test
    void should_send_the_error_to_every_client_and_store_nothing_when_the_shared_stream_fails() {
        // given
        RecordingHandler first = new RecordingHandler();
        calls.stream(expert, question(), deadline, CacheDirective.DEFAULT, first);
        expert.call(0).token("Paris ");
        RecordingHandler second = new RecordingHandler();
        calls.stream(expert, question(), deadline, CacheDirective.DEFAULT, second);

        // when
        RetriableExpertException failure = new RetriableExpertException(expert.id(),
                RetriableExpertException.Reason.SERVER_ERROR, "connection reset", null);
        expert.call(0).fail(failure);

        // then
        assertThat(first.awaitError(WAIT)).isSameAs(failure);
        assertThat(second.awaitError(WAIT)).isSameAs(failure);
        assertThat(second.partials()).containsExactly("Paris ");
        assertThat(cache.get(CacheKey.of(expert.config(), question()))).isEmpty();
        calls.stream(expert, question(), deadline, CacheDirective.DEFAULT, new RecordingHandler());
        assertThat(expert.calls).hasSize(2);
    }

    @Test
    void should_not_join_a_stream_in_flight_when_the_client_asked_for_a_fresh_answer() {
        // given
        calls.stream(expert, question(), deadline, CacheDirective.DEFAULT, new RecordingHandler());
        expert.call(0).token("Paris ");

        // when
        ExpertCalls.Stream fresh = calls.stream(expert, question(), deadline, CacheDirective.REFRESH, new RecordingHandler());

        // then
        assertThat(fresh.cache()).isEqualTo(CacheStatus.BYPASS);
        assertThat(expert.calls).hasSize(2);
    }

    @Test
    void should_not_join_a_stream_of_a_different_request() {
        // given
        calls.stream(expert, question(), deadline, CacheDirective.DEFAULT, new RecordingHandler());

        // when
        ExpertRequest other = ExpertRequest.builder(List.of(UserMessage.from("What is the capital of Spain?")))
                .temperature(0.0).build();
        ExpertCalls.Stream b = calls.stream(expert, other, deadline, CacheDirective.DEFAULT, new RecordingHandler());

        // then
        assertThat(b.cache()).isEqualTo(CacheStatus.MISS);
        assertThat(expert.calls).hasSize(2);
    }

    @Test
    void should_let_the_next_request_start_afresh_when_the_expert_refuses_at_once() {
        // given: an expert whose guard refuses on the caller's thread (breaker open)
        expert.refuseNext = new RetriableExpertException(expert.id(), RetriableExpertException.Reason.CIRCUIT_OPEN,
                "circuit open", null);

        // when / then
        RecordingHandler refused = new RecordingHandler();
        assertThatThrownBy(() -> calls.stream(expert, question(), deadline, CacheDirective.DEFAULT, refused))
                .isInstanceOf(RetriableExpertException.class);
        assertThat(refused.errors()).isZero();
        ExpertCalls.Stream next = calls.stream(expert, question(), deadline, CacheDirective.DEFAULT, new RecordingHandler());
        assertThat(next.cache()).isEqualTo(CacheStatus.MISS);
        assertThat(expert.calls).hasSize(2);
    }

    private static ExpertRequest question() {
        return ExpertRequest.builder(List.of(UserMessage.from("What is the capital of France?"))).temperature(0.0).build();
    }

    /** An expert whose streams the test drives event by event. */
    private static final class HandDrivenExpert implements Expert {

        private final ExpertConfig config = ExpertConfig.builder("hand-driven")
                .provider(ProviderKind.OPENAI_COMPATIBLE)
                .baseUrl("http://localhost:1/v1")
                .model("hand-driven-model")
                .cacheTtl(Duration.ofMinutes(5))
                .build();
        final List<Call> calls = new CopyOnWriteArrayList<>();
        volatile RuntimeException refuseNext;

        Call call(int i) {
            return calls.get(i);
        }

        @Override
        public ExpertId id() {
            return config.id();
        }

        @Override
        public ExpertConfig config() {
            return config;
        }

        @Override
        public Set<Feature> supportedFeatures() {
            return Set.of();
        }

        @Override
        public ChatResponse chat(ExpertRequest request) {
            throw new UnsupportedOperationException("streams only");
        }

        @Override
        public void stream(ExpertRequest request, StreamingChatResponseHandler handler) {
            stream(request, null, handler);
        }

        @Override
        public StreamingHandle stream(ExpertRequest request, Deadline deadline, StreamingChatResponseHandler handler) {
            Call call = new Call(handler);
            calls.add(call);
            RuntimeException refusal = refuseNext;
            if (refusal != null) {
                refuseNext = null;
                throw refusal;
            }
            return call.handle;
        }

        @Override
        public ExpertHealth checkHealth() {
            return ExpertHealth.up("hand-driven");
        }
    }

    /** One upstream call: its handler, its text so far, and the handle that cancels it. */
    private static final class Call {
        final StreamingChatResponseHandler handler;
        final Handle handle = new Handle();
        final StringBuilder text = new StringBuilder();

        Call(StreamingChatResponseHandler handler) {
            this.handler = handler;
        }

        void token(String token) {
            text.append(token);
            handler.onPartialResponse(new PartialResponse(token), new PartialResponseContext(handle));
        }

        void complete() {
            handler.onCompleteResponse(ChatResponse.builder()
                    .aiMessage(AiMessage.from(text.toString()))
                    .modelName("hand-driven-model")
                    .tokenUsage(new TokenUsage(7, 5, 12))
                    .finishReason(FinishReason.STOP)
                    .build());
        }

        void fail(Throwable error) {
            handler.onError(error);
        }
    }

    private static final class Handle implements StreamingHandle {
        private volatile boolean cancelled;

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
