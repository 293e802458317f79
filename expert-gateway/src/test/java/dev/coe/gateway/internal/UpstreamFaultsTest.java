package dev.coe.gateway.internal;

import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.RetriableExpertException;
import dev.coe.gateway.RetriableExpertException.Reason;
import dev.coe.gateway.stub.RecordingHandler;
import dev.coe.gateway.stub.StubExpertServer;
import dev.langchain4j.model.chat.response.ChatResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static dev.coe.gateway.ContractFixtures.question;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What each wire fault of an upstream looks like through the real experts, for {@code chat} and {@code stream}:
 * the {@link RetriableExpertException.Reason} it maps to (the table in {@link ExpertErrorMapper}'s comment), and
 * that a stream reports it exactly once. Every scenario runs against all three providers' stub servers.
 */
class UpstreamFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static ExpertRequest ask() {
        return ExpertRequest.builder(question("Count to three")).build();
    }

    private static Reason chatFailure(Expert expert) {
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> expert.chat(ask())).isInstanceOfSatisfying(RetriableExpertException.class, e -> {
            assertThat(e.expertId()).isEqualTo(expert.id());
            thrown[0] = e;
        });
        return ((RetriableExpertException) thrown[0]).reason();
    }

    /** The reason of the one error a stream reports; it must neither complete nor report twice. */
    private static Reason streamFailure(Expert expert) throws InterruptedException {
        RecordingHandler handler = new RecordingHandler();
        expert.stream(ask(), handler);
        Throwable error = handler.awaitError(WAIT);
        Thread.sleep(100); // room for a late second callback, which must not come
        assertThat(handler.errors()).isEqualTo(1);
        assertThat(handler.completions()).isZero();
        assertThat(error).isInstanceOf(RetriableExpertException.class);
        return ((RetriableExpertException) error).reason();
    }

    @ParameterizedTest
    @EnumSource(StubProvider.class)
    void should_map_a_malformed_json_body_to_server_error_when_chatting(StubProvider provider) {
        try (StubExpertServer stub = provider.startStub()) {
            // given
            Expert expert = provider.expert(stub);
            stub.replyMalformedJson();

            // when / then
            assertThatThrownBy(() -> expert.chat(ask())).isInstanceOfSatisfying(RetriableExpertException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR);
                assertThat(e.getMessage()).contains("malformed JSON").doesNotContain("REDACTED");
            });
            assertThat(stub.chatRequests()).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(StubProvider.class)
    void should_fail_a_stream_once_with_server_error_when_one_event_is_malformed_json(StubProvider provider)
            throws InterruptedException {
        try (StubExpertServer stub = provider.startStub()) {
            // given: without the stream-close watch the Ollama and Anthropic clients drop the event and complete
            Expert expert = provider.expert(stub);
            stub.replyMalformedJson();

            // when / then
            assertThat(streamFailure(expert)).isEqualTo(Reason.SERVER_ERROR);
        }
    }

    @ParameterizedTest
    @EnumSource(StubProvider.class)
    void should_map_a_connection_closed_before_the_status_line_to_connection_dropped(StubProvider provider)
            throws InterruptedException {
        try (StubExpertServer stub = provider.startStub()) {
            // given
            Expert expert = provider.expert(stub);

            // when / then: reachable (the request was sent and recorded), then dropped, so not UNREACHABLE
            stub.resetBeforeFirstByte();
            assertThat(chatFailure(expert)).isEqualTo(Reason.CONNECTION_DROPPED);
            stub.resetBeforeFirstByte();
            assertThat(streamFailure(expert)).isEqualTo(Reason.CONNECTION_DROPPED);
            assertThat(stub.chatRequests()).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(StubProvider.class)
    void should_complete_a_chat_whose_body_comes_after_the_request_timeout_when_the_headers_came_in_time(
            StubProvider provider) {
        try (StubExpertServer stub = provider.startStub()) {
            // given: the headers come at once, the body only after 500 ms
            Expert impatient = provider.expert(stub, config -> config.requestTimeout(Duration.ofMillis(200)));
            stub.replyText("late but whole").dripChunks(Duration.ofMillis(500));

            // when
            long start = System.nanoTime();
            ChatResponse response = impatient.chat(ask());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // then: the JDK client's request timeout ends when the headers arrive, also for a whole body; only
            // the caller's own deadline bounds such a call
            assertThat(response.aiMessage().text()).isEqualTo("late but whole");
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        }
    }

    @ParameterizedTest
    @EnumSource(StubProvider.class)
    void should_time_out_a_chat_whose_headers_come_after_the_request_timeout(StubProvider provider) {
        try (StubExpertServer stub = provider.startStub()) {
            // given
            Expert impatient = provider.expert(stub, config -> config.requestTimeout(Duration.ofMillis(200)));
            stub.delayFirstByte(Duration.ofMillis(600));

            // when / then
            assertThat(chatFailure(impatient)).isEqualTo(Reason.TIMEOUT);
        }
    }

    @ParameterizedTest
    @EnumSource(StubProvider.class)
    void should_complete_a_dripping_stream_although_it_outlasts_the_request_timeout(StubProvider provider) {
        try (StubExpertServer stub = provider.startStub()) {
            // given: 3 words, so at least 4 chunks and 3 pauses of 120 ms after the headers
            Expert impatient = provider.expert(stub, config -> config.requestTimeout(Duration.ofMillis(200)));
            stub.replyText("one two three").dripChunks(Duration.ofMillis(120));
            RecordingHandler handler = new RecordingHandler();

            // when
            long start = System.nanoTime();
            impatient.stream(ask(), handler);
            ChatResponse response = handler.awaitResponse(WAIT);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // then: for a stream the request timeout only bounds the wait for the headers; a slow stream is the
            // caller's deadline to cut, not the expert's
            assertThat(response.aiMessage().text()).isEqualTo("one two three");
            assertThat(took).isGreaterThan(Duration.ofMillis(360));
            assertThat(handler.partials()).containsExactly("one", " two", " three");
            assertThat(handler.completions()).isEqualTo(1);
        }
    }
}
