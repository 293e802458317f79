package dev.coe.gateway.internal;

import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.RetriableExpertException;
import dev.coe.gateway.stub.RecordingHandler;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class GuardedStreamingHandlerTest {

    private static final Duration NOW = Duration.ofMillis(1);

    private final RecordingHandler delegate = new RecordingHandler();
    private final GuardedStreamingHandler guarded = new GuardedStreamingHandler(delegate, ExpertErrorMapper.of(
            ExpertConfig.builder("local").provider(ProviderKind.OLLAMA).baseUrl("http://localhost:11434").model("m").build(), null));

    private static ChatResponse response(FinishReason finishReason) {
        return ChatResponse.builder().aiMessage(AiMessage.from("Hello there")).finishReason(finishReason).build();
    }

    @Test
    void should_pass_only_the_first_outcome_when_the_model_reports_an_error_and_then_completes() {
        // when: what langchain4j's OpenAI client does when a stream is cut
        guarded.onPartialResponse("Hello");
        guarded.onError(new IOException("closed"));
        guarded.onPartialResponse(" there");
        guarded.onCompleteResponse(response(FinishReason.STOP));
        guarded.streamClosed();

        // then
        assertThat(delegate.partials()).containsExactly("Hello");
        assertThat(delegate.errors()).isEqualTo(1);
        assertThat(delegate.completions()).isZero();
        assertThat(delegate.awaitError(NOW)).isInstanceOfSatisfying(RetriableExpertException.class,
                e -> assertThat(e.reason()).isEqualTo(RetriableExpertException.Reason.CONNECTION_DROPPED));
    }

    @Test
    void should_treat_a_completion_without_finish_reason_as_a_dropped_stream() {
        // when
        guarded.onCompleteResponse(response(null));

        // then
        assertThat(delegate.errors()).isEqualTo(1);
        assertThat(delegate.completions()).isZero();
    }

    @Test
    void should_fail_a_stream_that_closed_without_completing() {
        // when
        guarded.onPartialResponse("Hello");
        guarded.streamClosed();

        // then
        assertThat(delegate.awaitError(NOW)).isInstanceOfSatisfying(RetriableExpertException.class,
                e -> assertThat(e.reason()).isEqualTo(RetriableExpertException.Reason.CONNECTION_DROPPED));
        assertThat(guarded.finished()).isTrue();
    }

    @Test
    void should_complete_once_and_ignore_the_close_that_follows() {
        // when
        guarded.onCompleteResponse(response(FinishReason.STOP));
        guarded.streamClosed();
        guarded.onError(new IOException("late"));

        // then
        assertThat(delegate.completions()).isEqualTo(1);
        assertThat(delegate.errors()).isZero();
        assertThat(delegate.awaitResponse(NOW).aiMessage().text()).isEqualTo("Hello there");
    }
}
