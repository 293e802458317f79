package dev.coe.gateway.internal;

import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertRequest;
import dev.coe.gateway.RetriableExpertException;
import dev.coe.gateway.RetriableExpertException.Reason;
import dev.coe.gateway.stub.RecordingHandler;
import dev.coe.gateway.stub.StubExpertServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static dev.coe.gateway.ContractFixtures.question;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code Retry-After} of a real HTTP answer reaches {@link RetriableExpertException#retryAfter()} through each
 * provider's langchain4j client, for {@code chat} (sent on the caller's thread) and {@code stream} (reported on
 * the thread that completes the response).
 */
class RetryAfterCaptureTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static ExpertRequest ask() {
        return ExpertRequest.builder(question("Hi")).build();
    }

    private static RetriableExpertException chatFailure(Expert expert) {
        RetriableExpertException[] thrown = new RetriableExpertException[1];
        assertThatThrownBy(() -> expert.chat(ask()))
                .isInstanceOfSatisfying(RetriableExpertException.class, e -> thrown[0] = e);
        return thrown[0];
    }

    private static RetriableExpertException streamFailure(Expert expert) {
        RecordingHandler handler = new RecordingHandler();
        expert.stream(ask(), handler);
        Throwable error = handler.awaitError(WAIT);
        assertThat(error).isInstanceOf(RetriableExpertException.class);
        assertThat(handler.errors()).isEqualTo(1);
        return (RetriableExpertException) error;
    }

    @ParameterizedTest
    @EnumSource(StubProvider.class)
    void should_report_retry_after_seconds_of_a_429_when_chatting_and_streaming(StubProvider provider) {
        try (StubExpertServer stub = provider.startStub()) {
            // given
            Expert expert = provider.expert(stub);
            stub.failWithStatus(429, null, Map.of("Retry-After", "7")).failWithStatus(429, null, Map.of("Retry-After", "7"));

            // when
            RetriableExpertException chat = chatFailure(expert);
            RetriableExpertException stream = streamFailure(expert);

            // then
            assertThat(chat.reason()).isEqualTo(Reason.RATE_LIMITED);
            assertThat(chat.retryAfter()).hasValue(Duration.ofSeconds(7));
            assertThat(chat.getMessage()).contains("retry after PT7S");
            assertThat(stream.reason()).isEqualTo(Reason.RATE_LIMITED);
            assertThat(stream.retryAfter()).hasValue(Duration.ofSeconds(7));
            assertThat(stub.chatRequests()).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(StubProvider.class)
    void should_measure_an_http_date_from_now_when_retry_after_is_a_date(StubProvider provider) {
        try (StubExpertServer stub = provider.startStub()) {
            // given: 30 s ahead, in whole seconds as the format has it
            Expert expert = provider.expert(stub);
            String at = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30).truncatedTo(ChronoUnit.SECONDS));
            stub.failWithStatus(429, null, Map.of("Retry-After", at)).failWithStatus(429, null, Map.of("Retry-After", at));

            // when / then
            assertThat(chatFailure(expert).retryAfter()).hasValueSatisfying(
                    wait -> assertThat(wait).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30)));
            assertThat(streamFailure(expert).retryAfter()).hasValueSatisfying(
                    wait -> assertThat(wait).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30)));
        }
    }

    @ParameterizedTest
    @EnumSource(StubProvider.class)
    void should_report_retry_after_ms_of_a_503_as_a_server_error(StubProvider provider) {
        try (StubExpertServer stub = provider.startStub()) {
            // given: OpenAI sends both; the millisecond one is the more precise
            Expert expert = provider.expert(stub);
            Map<String, String> headers = Map.of("Retry-After", "2", "retry-after-ms", "1500");
            stub.failWithStatus(503, null, headers).failWithStatus(503, null, headers);

            // when
            RetriableExpertException chat = chatFailure(expert);
            RetriableExpertException stream = streamFailure(expert);

            // then
            assertThat(chat.reason()).isEqualTo(Reason.SERVER_ERROR);
            assertThat(chat.retryAfter()).hasValue(Duration.ofMillis(1500));
            assertThat(stream.reason()).isEqualTo(Reason.SERVER_ERROR);
            assertThat(stream.retryAfter()).hasValue(Duration.ofMillis(1500));
        }
    }

    @ParameterizedTest
    @EnumSource(StubProvider.class)
    void should_leave_retry_after_empty_when_the_header_is_absent_or_the_status_is_not_429_or_503(StubProvider provider) {
        try (StubExpertServer stub = provider.startStub()) {
            // given
            Expert expert = provider.expert(stub);
            stub.failWithStatus(429).failWithStatus(500, null, Map.of("Retry-After", "7"))
                    .failWithStatus(429, null, Map.of("Retry-After", "whenever"));

            // when / then
            assertThat(chatFailure(expert).retryAfter()).isEmpty();
            RetriableExpertException serverError = streamFailure(expert);
            assertThat(serverError.reason()).isEqualTo(Reason.SERVER_ERROR);
            assertThat(serverError.retryAfter()).isEmpty();
            assertThat(chatFailure(expert).retryAfter()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(StubProvider.class)
    void should_cut_an_absurd_retry_after_to_one_hour(StubProvider provider) {
        try (StubExpertServer stub = provider.startStub()) {
            // given
            Expert expert = provider.expert(stub);
            stub.failWithStatus(429, null, Map.of("Retry-After", "31536000"));

            // when / then
            assertThat(chatFailure(expert).retryAfter()).hasValue(RetryAfter.MAX_RETRY_AFTER);
        }
    }

    @ParameterizedTest
    @EnumSource(StubProvider.class)
    void should_not_carry_a_wait_over_to_the_next_call(StubProvider provider) {
        try (StubExpertServer stub = provider.startStub()) {
            // given: a 429 with a wait, then a 429 without one on the same expert and connection
            Expert expert = provider.expert(stub);
            stub.failWithStatus(429, null, Map.of("Retry-After", "7")).failWithStatus(429);

            // when / then
            assertThat(chatFailure(expert).retryAfter()).hasValue(Duration.ofSeconds(7));
            assertThat(chatFailure(expert).retryAfter()).isEmpty();
        }
    }
}
