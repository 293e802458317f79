package dev.coe.gateway.cache;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.coe.gateway.cache.CacheFixtures.answer;
import static dev.coe.gateway.cache.CacheFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedAnswersTest {

    private static final Duration TTL = Duration.ofMinutes(5);

    /** A second level in memory, as Redis would be: encoded answers, each with its own expiry on a fake clock. */
    private static final class InMemoryShared implements SharedAnswers {
        final AtomicLong nanos;
        final Map<String, Map.Entry<byte[], Long>> entries = new ConcurrentHashMap<>();

        InMemoryShared(AtomicLong nanos) {
            this.nanos = nanos;
        }

        @Override
        public Optional<Shared> get(CacheKey key) {
            var e = entries.get(key.value());
            long left = e == null ? 0 : e.getValue() - nanos.get();
            return left <= 0 ? Optional.empty() : Optional.of(new Shared(AnswerCodec.decode(e.getKey()), Duration.ofNanos(left)));
        }

        @Override
        public void put(CacheKey key, ChatResponse response, Duration ttl) {
            entries.put(key.value(), Map.entry(AnswerCodec.encode(response), nanos.get() + ttl.toNanos()));
        }
    }

    private final AtomicLong nanos = new AtomicLong();
    private final InMemoryShared shared = new InMemoryShared(nanos);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CaffeineResponseCache replicaA = CaffeineResponseCache.builder().ticker(nanos::get).shared(shared).build();
    private final CaffeineResponseCache replicaB = CaffeineResponseCache.builder().ticker(nanos::get).shared(shared)
            .meterRegistry(registry).build();

    @Test
    void should_hit_on_another_replica_when_one_replica_paid_for_the_answer() {
        AtomicInteger calls = new AtomicInteger();

        ResponseCache.Lookup onA = replicaA.getOrCompute(key("capital of France?"), TTL, () -> {
            calls.incrementAndGet();
            return answer("Paris.");
        });
        ResponseCache.Lookup onB = replicaB.getOrCompute(key("capital of France?"), TTL, () -> {
            calls.incrementAndGet();
            return answer("other");
        });

        assertThat(onA.status()).isEqualTo(CacheStatus.MISS);
        assertThat(onB.status()).isEqualTo(CacheStatus.HIT);
        assertThat(onB.response().aiMessage().text()).isEqualTo("Paris.");
        assertThat(calls).hasValue(1);
        assertThat(registry.get("cache.shared.gets").tag("result", "hit").functionCounter().count()).isEqualTo(1.0);
    }

    @Test
    void should_serve_a_stream_replay_from_the_shared_level_and_keep_only_its_remaining_ttl_here() {
        replicaA.put(key("q"), answer("A."), Duration.ofMinutes(2));
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());

        assertThat(replicaB.get(key("q"))).map(r -> r.aiMessage().text()).contains("A.");
        // The copy kept on B expires with the shared one, not a full ttl later.
        nanos.addAndGet(Duration.ofSeconds(61).toNanos());
        assertThat(replicaB.get(key("q"))).isEmpty();
    }

    @Test
    void should_not_reach_the_shared_level_when_the_answer_expired_there() {
        replicaA.getOrCompute(key("q"), Duration.ofSeconds(10), () -> answer("old"));
        nanos.addAndGet(Duration.ofSeconds(11).toNanos());
        ResponseCache.Lookup onB = replicaB.getOrCompute(key("q"), TTL, () -> answer("new"));
        assertThat(onB).isEqualTo(new ResponseCache.Lookup(onB.response(), CacheStatus.MISS));
        assertThat(onB.response().aiMessage().text()).isEqualTo("new");
    }

    @Test
    void should_keep_text_tool_calls_usage_and_finish_reason_when_an_answer_is_encoded_and_decoded() {
        ChatResponse original = ChatResponse.builder()
                .aiMessage(AiMessage.builder().text("Let me check.").thinking("weather needs a tool")
                        .toolExecutionRequests(List.of(ToolExecutionRequest.builder().id("call_1").name("weather")
                                .arguments("{\"city\":\"Paris\"}").build())).build())
                .id("chatcmpl-1").modelName("stub-gpt").finishReason(FinishReason.TOOL_EXECUTION)
                .tokenUsage(new TokenUsage(12, 7, 19)).build();

        ChatResponse copy = AnswerCodec.decode(AnswerCodec.encode(original));

        assertThat(copy.aiMessage()).isEqualTo(original.aiMessage());
        assertThat(copy.id()).isEqualTo("chatcmpl-1");
        assertThat(copy.modelName()).isEqualTo("stub-gpt");
        assertThat(copy.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(copy.tokenUsage()).isEqualTo(new TokenUsage(12, 7, 19));
        assertThatThrownBy(() -> AnswerCodec.decode("not json".getBytes())).isInstanceOf(IllegalArgumentException.class);
    }
}
