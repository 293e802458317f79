package dev.coe.gateway.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coe.gateway.ExpertConfig;
import dev.coe.gateway.ExpertException;
import dev.coe.gateway.NonRetriableExpertException;
import dev.coe.gateway.ProviderKind;
import dev.coe.gateway.RetriableExpertException;
import dev.coe.gateway.RetriableExpertException.Reason;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ExpertErrorMapperTest {

    private static final String SECRET = "sk-secret-42";

    private final ExpertErrorMapper mapper = ExpertErrorMapper.of(ExpertConfig.builder("gpt")
            .provider(ProviderKind.OPENAI_COMPATIBLE).baseUrl("http://localhost:8000/v1").model("m").build(), SECRET);

    private RetriableExpertException retriable(Throwable failure) {
        ExpertException mapped = mapper.map(failure);
        assertThat(mapped).isInstanceOf(RetriableExpertException.class);
        assertThat(mapped.expertId().value()).isEqualTo("gpt");
        return (RetriableExpertException) mapped;
    }

    @Test
    void should_map_http_statuses_found_anywhere_in_the_cause_chain() {
        assertThat(retriable(new RateLimitException("slow down", new HttpException(429, "{\"error\":{}}"))).reason())
                .isEqualTo(Reason.RATE_LIMITED);
        assertThat(retriable(new InternalServerException(new HttpException(503, "overloaded"))).reason())
                .isEqualTo(Reason.SERVER_ERROR);
        assertThat(retriable(new HttpException(529, "overloaded_error")).reason()).isEqualTo(Reason.SERVER_ERROR);
        assertThat(retriable(new TimeoutException(new HttpException(408, ""))).reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(mapper.map(new LangChain4jException(new HttpException(404, "model not found"))))
                .isInstanceOfSatisfying(NonRetriableExpertException.class,
                        e -> assertThat(e.upstreamStatus()).isEqualTo(404));
    }

    @Test
    void should_leave_retry_after_empty_when_the_http_exception_did_not_pass_the_capture() {
        assertThat(retriable(new HttpException(429, "rate limited")).retryAfter()).isEmpty();
    }

    @Test
    void should_report_retry_after_when_the_capture_noted_one() {
        // given: what RetryAfterCapture throws, wrapped as langchain4j wraps it
        HttpException noted = new RetryAfterHttpException(new HttpException(429, "rate limited"), Duration.ofSeconds(7));
        HttpException unavailable = new RetryAfterHttpException(new HttpException(503, "busy"), Duration.ofMillis(1500));

        // when
        RetriableExpertException rateLimited = retriable(new RateLimitException("rate limited", noted));
        RetriableExpertException serverError = retriable(new InternalServerException(unavailable));

        // then
        assertThat(rateLimited.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(rateLimited.retryAfter()).hasValue(Duration.ofSeconds(7));
        assertThat(rateLimited.getMessage()).endsWith("(retry after PT7S)");
        assertThat(serverError.reason()).isEqualTo(Reason.SERVER_ERROR);
        assertThat(serverError.retryAfter()).hasValue(Duration.ofMillis(1500));
    }

    @Test
    void should_map_an_unparsable_answer_to_server_error_not_to_a_dropped_connection() throws Exception {
        // given: what langchain4j's clients throw for a truncated body
        Throwable truncated = new RuntimeException(parseFailure("{\"choices\": [{\"message\": {\"content\": \"Hel"));

        // when
        RetriableExpertException mapped = retriable(truncated);

        // then
        assertThat(mapped.reason()).isEqualTo(Reason.SERVER_ERROR);
        assertThat(mapped.getMessage()).startsWith("gpt: upstream sent malformed JSON: ").doesNotContain("Source:");
    }

    @Test
    void should_keep_a_request_we_could_not_write_as_json_non_retriable() throws Exception {
        // given: a client's raw schema that is not JSON, refused before sending
        Throwable refused = new IllegalArgumentException("tool schema is not valid JSON", parseFailure("{oops"));

        // when / then
        assertThat(mapper.map(refused)).isInstanceOfSatisfying(NonRetriableExpertException.class,
                e -> assertThat(e.upstreamStatus()).isZero());
    }

    @Test
    void should_map_a_connection_closed_before_the_status_line_to_connection_dropped() {
        // given: the JDK client's failure when the socket closes where the status line should be
        IOException noStatusLine = new IOException("HTTP/1.1 header parser received no bytes",
                new EOFException("EOF reached while reading"));

        // when / then
        assertThat(retriable(new RuntimeException(noStatusLine)).reason()).isEqualTo(Reason.CONNECTION_DROPPED);
    }

    private static JsonProcessingException parseFailure(String json) {
        try {
            new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            return e;
        }
        throw new AssertionError("expected invalid JSON: " + json);
    }

    @Test
    void should_map_network_failures_by_kind() {
        assertThat(retriable(new RuntimeException(new ConnectException())).reason()).isEqualTo(Reason.UNREACHABLE);
        assertThat(retriable(new HttpConnectTimeoutException("connect timed out")).reason()).isEqualTo(Reason.UNREACHABLE);
        assertThat(retriable(new TimeoutException(new HttpTimeoutException("request timed out"))).reason())
                .isEqualTo(Reason.TIMEOUT);
        assertThat(retriable(new LangChain4jException(new IOException("closed"))).reason())
                .isEqualTo(Reason.CONNECTION_DROPPED);
        assertThat(retriable(new EOFException("EOF reached while reading")).reason()).isEqualTo(Reason.CONNECTION_DROPPED);
        assertThat(retriable(new RuntimeException(new ConnectException())).getMessage())
                .isEqualTo("gpt: connection refused at http://localhost:8000/v1");
    }

    @Test
    void should_map_a_request_refused_before_sending_to_non_retriable_without_status() {
        assertThat(mapper.map(new UnsupportedFeatureException("tools are not supported")))
                .isInstanceOfSatisfying(NonRetriableExpertException.class, e -> {
                    assertThat(e.upstreamStatus()).isZero();
                    assertThat(e.getMessage()).contains("tools are not supported");
                });
    }

    @Test
    void should_map_anything_else_to_a_server_error() {
        assertThat(retriable(new IllegalStateException("unexpected")).reason()).isEqualTo(Reason.SERVER_ERROR);
    }

    @Test
    void should_return_an_expert_exception_unchanged() {
        // given
        RetriableExpertException original = mapper.streamEndedEarly();

        // then
        assertThat(mapper.map(original)).isSameAs(original);
        assertThat(original.reason()).isEqualTo(Reason.CONNECTION_DROPPED);
    }

    @Test
    void should_redact_the_secret_and_drop_a_cause_that_holds_it() {
        // when
        ExpertException mapped = mapper.map(new HttpException(401, "Incorrect API key provided: " + SECRET));

        // then
        assertThat(mapped.getMessage()).doesNotContain(SECRET).contains("Incorrect API key provided: ***");
        assertThat(mapped.getCause()).isNull();
    }

    @Test
    void should_shorten_a_long_upstream_body() {
        // when
        ExpertException mapped = mapper.map(new HttpException(400, "x".repeat(5000)));

        // then
        assertThat(mapped.getMessage()).hasSizeLessThan(ExpertErrorMapper.MAX_BODY_CHARS + 100).endsWith("...");
        assertThat(mapped.getCause()).isInstanceOf(HttpException.class);
    }
}
