package dev.coe.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coe.gateway.stub.OpenAiStubServer;
import dev.coe.it.OtlpTraceReceiver.ReceivedSpan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces over OTLP: a router exporting to a collector stub ({@link OtlpTraceReceiver}, OTLP/HTTP protobuf), and
 * requests that carry a client's W3C {@code traceparent}. The request's span joins the client's trace, and under it
 * the routing step and each expert attempt appear with their outcome, model and token usage.
 */
class TracingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String CODING_PROMPT = "Write a Python function that reverses a linked list, with unit tests.";
    private static final OpenAiStubServer PRIMARY = new OpenAiStubServer();
    private static final OpenAiStubServer BACKUP = new OpenAiStubServer();
    private static final OtlpTraceReceiver COLLECTOR = new OtlpTraceReceiver();

    private static RouterUnderTest router;

    @BeforeAll
    static void start() {
        String experts = """
                experts:
                  - {id: primary, provider: openai, base-url: %s, model: primary-model, resilience: {retry: {max-attempts: 1}}}
                  - {id: backup, provider: openai, base-url: %s, model: backup-model}
                """.formatted(PRIMARY.baseUrl(), BACKUP.baseUrl());
        String routing = """
                router-models: [auto]
                fallback-chain: [backup]
                default-threshold: 0.0
                rules:
                  - {category: coding, chain: [primary, backup]}
                """;
        router = RouterUnderTest.start(experts, routing, "coe.cache-max-size=0",
                "management.opentelemetry.tracing.export.otlp.endpoint=" + COLLECTOR.endpoint(),
                "management.opentelemetry.tracing.export.schedule-delay=100ms");
    }

    @AfterAll
    static void stop() {
        router.close();
        PRIMARY.close();
        BACKUP.close();
        COLLECTOR.close();
    }

    @Test
    void should_show_the_routing_step_and_every_expert_attempt_inside_the_clients_trace() throws Exception {
        // given a primary that fails once, and a backup that answers with 12 + 7 tokens
        PRIMARY.failWithStatus(503);
        BACKUP.replyText("def reverse(head): ...").usage(12, 7);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String clientSpan = "00f067aa0ba902b7";

        HttpResponse<String> answer = chat("00-" + traceId + "-" + clientSpan + "-01", false);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("x-coe-expert")).contains("backup");
        await().atMost(10, TimeUnit.SECONDS).until(() -> COLLECTOR.trace(traceId).stream().anyMatch(s -> s.name().startsWith("http")
                || s.kind().equals("SPAN_KIND_SERVER")) && COLLECTOR.trace(traceId).size() >= 4);
        List<ReceivedSpan> trace = COLLECTOR.trace(traceId);
        ReceivedSpan server = only(trace, s -> s.kind().equals("SPAN_KIND_SERVER"));
        ReceivedSpan route = only(trace, s -> s.name().equals("coe.route"));
        ReceivedSpan failed = only(trace, s -> s.name().equals("chat primary-model"));
        ReceivedSpan answered = only(trace, s -> s.name().equals("chat backup-model"));

        // the request joined the client's trace, and everything else hangs under the request
        assertThat(server.parentSpanId()).isEqualTo(clientSpan);
        assertThat(List.of(route, failed, answered)).allMatch(s -> s.parentSpanId().equals(server.spanId()));
        assertThat(server.attribute("coe.category")).isEqualTo("coding");
        assertThat(server.attribute("coe.expert")).isEqualTo("backup");
        assertThat(route.attribute("coe.category")).isEqualTo("coding");
        assertThat(route.attribute("coe.route.reason")).isEqualTo("category");
        assertThat(route.attribute("coe.chain")).isEqualTo(List.of("primary", "backup"));
        assertThat((Double) route.attribute("coe.confidence")).isBetween(0.0, 1.0);
        // the failed attempt says why, and comes before the one that answered
        assertThat(failed.kind()).isEqualTo("SPAN_KIND_CLIENT");
        assertThat(failed.status()).isEqualTo("STATUS_CODE_ERROR");
        assertThat(failed.attribute("error.type")).isEqualTo(failed.attribute("coe.attempt.outcome")).isNotEqualTo("ok");
        assertThat(failed.attribute("gen_ai.request.model")).isEqualTo("primary-model");
        assertThat(failed.endNanos()).isLessThanOrEqualTo(answered.startNanos());
        assertThat(route.endNanos()).isLessThanOrEqualTo(failed.startNanos());
        // the answer's model, provider, server and tokens, in OpenTelemetry's GenAI terms
        assertThat(answered.kind()).isEqualTo("SPAN_KIND_CLIENT");
        assertThat(answered.status()).isNotEqualTo("STATUS_CODE_ERROR");
        assertThat(answered.attributes()).containsEntry("gen_ai.operation.name", "chat")
                .containsEntry("gen_ai.provider.name", "openai")
                .containsEntry("gen_ai.request.model", "backup-model")
                .containsEntry("gen_ai.usage.input_tokens", 12L)
                .containsEntry("gen_ai.usage.output_tokens", 7L)
                .containsEntry("server.address", "127.0.0.1")
                .containsEntry("coe.attempt.outcome", "ok");
        assertThat(answered.endNanos()).isLessThanOrEqualTo(server.endNanos());
    }

    @Test
    void should_follow_the_clients_choice_not_to_sample_and_trace_a_stream_to_its_end() throws Exception {
        String unsampled = "5bf92f3577b34da6a3ce929d0e0e4737";
        String sampled = "6bf92f3577b34da6a3ce929d0e0e4738";

        assertThat(chat("00-" + unsampled + "-00f067aa0ba902b8-00", false).statusCode()).isEqualTo(200);
        HttpResponse<String> stream = chat("00-" + sampled + "-00f067aa0ba902b9-01", true);

        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.body()).contains("data: [DONE]");
        await().atMost(10, TimeUnit.SECONDS).until(() -> COLLECTOR.trace(sampled).stream().anyMatch(s -> s.name().startsWith("chat ")));
        // spans leave in the order they end: the later trace arrived, the earlier one was never recorded
        assertThat(COLLECTOR.trace(unsampled)).isEmpty();
        ReceivedSpan server = only(COLLECTOR.trace(sampled), s -> s.kind().equals("SPAN_KIND_SERVER"));
        ReceivedSpan expert = only(COLLECTOR.trace(sampled), s -> s.name().startsWith("chat "));
        // the expert's span lasts while the stream is written, not only to its first token
        assertThat(expert.endNanos()).isGreaterThan(expert.startNanos()).isLessThanOrEqualTo(server.endNanos());
    }

    private static ReceivedSpan only(List<ReceivedSpan> spans, java.util.function.Predicate<ReceivedSpan> which) {
        List<ReceivedSpan> found = spans.stream().filter(which).toList();
        assertThat(found).as("spans received: %s", spans).hasSize(1);
        return found.getFirst();
    }

    private static HttpResponse<String> chat(String traceparent, boolean stream) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("model", "auto", "stream", stream,
                "messages", List.of(Map.of("role", "user", "content", CODING_PROMPT))));
        return HTTP.send(HttpRequest.newBuilder(URI.create(router.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("traceparent", traceparent)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
