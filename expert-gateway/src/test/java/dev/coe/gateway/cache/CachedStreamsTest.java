package dev.coe.gateway.cache;

import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.SimulationConfig;
import dev.coe.gateway.simulated.SimulatedExpert;
import dev.coe.gateway.stub.RecordingHandler;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.coe.gateway.cache.CacheFixtures.answer;
import static dev.coe.gateway.cache.CacheFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachedStreamsTest {

    private static final Duration TTL = Duration.ofMinutes(5);
    private static final String TEXT = "The capital of France is Paris, a city on the Seine known for the Louvre, "
            + "the Eiffel Tower and its cafés; about two million people live within its city limits.";

    private final CaffeineResponseCache cache = CaffeineResponseCache.builder().build();

    @Test
    void should_replay_the_text_in_pieces_when_a_stored_answer_is_streamed() {
        // given
        ChatResponse cached = answer(TEXT);
        Recorder handler = new Recorder();

        // when
        CachedStreams.replay(cached, handler);

        // then
        List<String> pieces = handler.texts();
        assertThat(pieces).hasSizeGreaterThanOrEqualTo(4);
        assertThat(String.join("", pieces)).isEqualTo(TEXT);
        assertThat(pieces).allSatisfy(p -> assertThat(p.length()).isBetween(1, TextPieces.MAX_PIECE_CHARS));
        assertThat(pieces.subList(0, pieces.size() - 1)).allSatisfy(p -> assertThat(p).endsWith(" "));
        assertThat(handler.events.getLast()).isEqualTo("complete");
        assertThat(handler.completed).containsExactly(cached);
        assertThat(handler.events).filteredOn(e -> e.startsWith("text:")).hasSize(pieces.size());
    }

    @Test
    void should_keep_surrogate_pairs_whole_when_a_word_is_longer_than_a_piece() {
        // given: 80 emoji (each a surrogate pair) with no space to cut at, after an odd number of letters
        String text = "x" + "\uD83D\uDE00".repeat(80);

        // when
        List<String> pieces = TextPieces.split(text);

        // then
        assertThat(String.join("", pieces)).isEqualTo(text);
        assertThat(pieces).hasSizeGreaterThan(1).allSatisfy(p -> {
            assertThat(Character.isLowSurrogate(p.charAt(0))).as("starts with a low surrogate: %s", p).isFalse();
            assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1))).as("ends with a high surrogate: %s", p).isFalse();
        });
    }

    @Test
    void should_send_short_text_in_one_piece_and_no_piece_for_no_text() {
        assertThat(TextPieces.split("Paris.")).containsExactly("Paris.");
        assertThat(TextPieces.split("")).isEmpty();
        assertThat(TextPieces.split(null)).isEmpty();
    }

    @Test
    void should_replay_thinking_and_tool_calls_when_the_answer_has_them() {
        // given
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("call_1").name("get_weather")
                .arguments("{\"city\":\"Paris\"}").build();
        ChatResponse cached = ChatResponse.builder()
                .aiMessage(AiMessage.builder().thinking("Need the weather.").toolExecutionRequests(List.of(call)).build())
                .finishReason(FinishReason.TOOL_EXECUTION)
                .build();
        Recorder handler = new Recorder();

        // when
        CachedStreams.replay(cached, handler);

        // then
        assertThat(handler.events).containsExactly(
                "thinking:Need the weather.",
                "partialToolCall:0:call_1:get_weather:{\"city\":\"Paris\"}",
                "completeToolCall:0:call_1",
                "complete");
    }

    @Test
    void should_stop_the_replay_when_the_handler_cancels_it() {
        // given: a handler that cancels through the handle of the first partial
        Recorder handler = new Recorder() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                super.onPartialResponse(partial, context);
                context.streamingHandle().cancel();
            }
        };

        // when
        CachedStreams.replay(answer(TEXT), handler);

        // then
        assertThat(handler.events).hasSize(1).allSatisfy(e -> assertThat(e).startsWith("text:"));
        assertThat(handler.completed).isEmpty();
    }

    @Test
    void should_end_with_an_error_when_a_partial_callback_throws() {
        // given
        IllegalStateException failure = new IllegalStateException("client went away");
        Recorder handler = new Recorder() {
            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                throw failure;
            }
        };

        // when
        CachedStreams.replay(answer(TEXT), handler);

        // then
        assertThat(handler.errors).containsExactly(failure);
        assertThat(handler.completed).isEmpty();
    }

    @Test
    void should_reach_handlers_that_implement_only_the_plain_callbacks() {
        // given
        RecordingHandler plain = new RecordingHandler();

        // when
        CachedStreams.replay(answer(TEXT), plain);

        // then
        assertThat(String.join("", plain.partials())).isEqualTo(TEXT);
        assertThat(plain.awaitResponse(Duration.ofSeconds(1)).aiMessage().text()).isEqualTo(TEXT);
    }

    @Test
    void should_store_the_answer_when_the_stream_completes() {
        // given
        Recorder client = new Recorder();
        StreamingChatResponseHandler storing = CachedStreams.storingOnComplete(cache, key("q"), TTL, client);
        ChatResponse response = answer("Paris.");

        // when
        storing.onPartialResponse(new PartialResponse("Par"), new PartialResponseContext(new Handle()));
        storing.onPartialResponse("is.");
        storing.onCompleteResponse(response);

        // then
        assertThat(cache.get(key("q"))).containsSame(response);
        assertThat(client.events).containsExactly("text:Par", "text:is.", "complete");
    }

    @Test
    void should_store_nothing_when_the_stream_fails() {
        // given: OpenAI's client may report a completion after the error
        Recorder client = new Recorder();
        StreamingChatResponseHandler storing = CachedStreams.storingOnComplete(cache, key("q"), TTL, client);
        RuntimeException failure = new RuntimeException("connection reset");

        // when
        storing.onPartialResponse("Par");
        storing.onError(failure);
        storing.onCompleteResponse(answer("Par"));

        // then
        assertThat(cache.get(key("q"))).isEmpty();
        assertThat(client.errors).containsExactly(failure);
        assertThat(client.events).containsExactly("text:Par", "error", "complete");
    }

    @Test
    void should_store_nothing_when_the_stream_was_cancelled() {
        // given
        Recorder client = new Recorder();
        StreamingChatResponseHandler storing = CachedStreams.storingOnComplete(cache, key("q"), TTL, client);
        Handle handle = new Handle();

        // when
        storing.onPartialResponse(new PartialResponse("Par"), new PartialResponseContext(handle));
        handle.cancel();
        storing.onCompleteResponse(answer("Par"));

        // then
        assertThat(cache.get(key("q"))).isEmpty();
    }

    @Test
    void should_store_nothing_when_the_final_response_has_no_finish_reason() {
        // given
        StreamingChatResponseHandler storing = CachedStreams.storingOnComplete(cache, key("q"), TTL, new Recorder());

        // when
        storing.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from("Par")).build());

        // then
        assertThat(cache.get(key("q"))).isEmpty();
    }

    @Test
    void should_forward_every_callback_unchanged_with_its_context() {
        // given
        Recorder client = new Recorder();
        StreamingChatResponseHandler storing = CachedStreams.storingOnComplete(cache, key("q"), TTL, client);
        Handle handle = new Handle();
        PartialResponseContext textContext = new PartialResponseContext(handle);
        PartialToolCallContext toolContext = new PartialToolCallContext(handle);
        PartialThinkingContext thinkingContext = new PartialThinkingContext(handle);
        PartialToolCall partialCall = PartialToolCall.builder().index(0).id("call_1").name("get_weather")
                .partialArguments("{\"ci").build();
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("call_1").name("get_weather").arguments("{}").build();

        // when
        storing.onPartialThinking(new PartialThinking("hmm"), thinkingContext);
        storing.onPartialThinking(new PartialThinking("so"));
        storing.onPartialResponse(new PartialResponse("a"), textContext);
        storing.onPartialToolCall(partialCall, toolContext);
        storing.onPartialToolCall(partialCall);
        storing.onCompleteToolCall(new CompleteToolCall(0, call));
        storing.onUnmappedRawEvent("raw");

        // then
        assertThat(client.contexts).containsExactly(thinkingContext, textContext, toolContext);
        assertThat(client.events).containsExactly("thinking:hmm", "thinking:so", "text:a",
                "partialToolCall:0:call_1:get_weather:{\"ci", "partialToolCall:0:call_1:get_weather:{\"ci",
                "completeToolCall:0:call_1", "raw:raw");
    }

    @Test
    void should_refuse_a_ttl_that_is_not_positive_when_wrapping() {
        assertThatThrownBy(() -> CachedStreams.storingOnComplete(cache, key("q"), Duration.ZERO, new Recorder()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_replay_what_was_stored_when_a_simulated_expert_streamed_it() {
        // given
        SimulatedExpert expert = new SimulatedExpert(ExpertConfig.builder("sim-1").provider(ProviderKind.SIMULATED)
                .simulation(new SimulationConfig(Duration.ZERO, 0, 0.0, 40)).build());
        ExpertRequest request = ExpertRequest.builder(List.of(UserMessage.from("What is the capital of France?")))
                .temperature(0.0).build();
        CacheKey key = CacheKey.of(expert.config(), request);
        RecordingHandler live = new RecordingHandler();

        // when
        expert.stream(request, CachedStreams.storingOnComplete(cache, key, TTL, live));
        ChatResponse streamed = live.awaitResponse(Duration.ofSeconds(5));
        RecordingHandler replayed = new RecordingHandler();
        CachedStreams.replay(cache.get(key).orElseThrow(), replayed);

        // then
        assertThat(String.join("", replayed.partials())).isEqualTo(streamed.aiMessage().text());
        assertThat(replayed.partials()).hasSizeGreaterThan(1);
        assertThat(replayed.awaitResponse(Duration.ofSeconds(1))).isSameAs(streamed);
    }

    /** Records callbacks in order; the context-taking overloads record their context and fall through. */
    private static class Recorder implements StreamingChatResponseHandler {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Object> contexts = new CopyOnWriteArrayList<>();
        final List<ChatResponse> completed = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        List<String> texts() {
            List<String> texts = new ArrayList<>();
            events.stream().filter(e -> e.startsWith("text:")).forEach(e -> texts.add(e.substring(5)));
            return texts;
        }

        @Override
        public void onPartialResponse(String partial) {
            events.add("text:" + partial);
        }

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            contexts.add(context);
            onPartialResponse(partial.text());
        }

        @Override
        public void onPartialThinking(PartialThinking thinking) {
            events.add("thinking:" + thinking.text());
        }

        @Override
        public void onPartialThinking(PartialThinking thinking, PartialThinkingContext context) {
            contexts.add(context);
            onPartialThinking(thinking);
        }

        @Override
        public void onPartialToolCall(PartialToolCall call) {
            events.add("partialToolCall:" + call.index() + ":" + call.id() + ":" + call.name() + ":" + call.partialArguments());
        }

        @Override
        public void onPartialToolCall(PartialToolCall call, PartialToolCallContext context) {
            contexts.add(context);
            onPartialToolCall(call);
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall call) {
            events.add("completeToolCall:" + call.index() + ":" + call.toolExecutionRequest().id());
        }

        @Override
        public void onUnmappedRawEvent(Object event) {
            events.add("raw:" + event);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            events.add("complete");
            completed.add(response);
        }

        @Override
        public void onError(Throwable error) {
            events.add("error");
            errors.add(error);
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
