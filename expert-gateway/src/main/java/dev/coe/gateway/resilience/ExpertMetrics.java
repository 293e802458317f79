package dev.coe.gateway.resilience;

import dev.coe.gateway.ExpertException;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.NonRetriableExpertException;
import dev.coe.gateway.RetriableExpertException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.langchain4j.model.output.TokenUsage;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One expert's call metrics in Micrometer: time to first token and total latency (histograms), tokens, errors by
 * type, retries. Every meter is created up front, so that recording on the hot path is a field read and an
 * increment. Thread-safe.
 * <p>
 * Names (Prometheus form): {@code coe_expert_first_token_seconds}, {@code coe_expert_latency_seconds{mode,outcome}},
 * {@code coe_expert_tokens_total{direction}}, {@code coe_expert_errors_total{type}}, {@code coe_expert_retries_total{type}},
 * each tagged with {@code expert}. Breaker state, bulkhead saturation and rate limiter come from resilience4j's own
 * tagged metrics (see {@link ExpertGuards}).
 */
public final class ExpertMetrics {

    /** Latency buckets from 5 ms to 5 minutes: the range between a cache-warm local engine and a long answer. */
    private static final Duration MIN_EXPECTED = Duration.ofMillis(5);
    private static final Duration MAX_EXPECTED = Duration.ofMinutes(5);

    private final MeterRegistry registry;
    private final ExpertId expert;
    private final Timer firstToken;
    private final Timer chatSuccess;
    private final Timer chatError;
    private final Timer streamSuccess;
    private final Timer streamError;
    private final Timer streamCancelled;
    private final Counter inputTokens;
    private final Counter outputTokens;
    private final Map<RetriableExpertException.Reason, Counter> errors = new EnumMap<>(RetriableExpertException.Reason.class);
    private final Map<RetriableExpertException.Reason, Counter> retries = new EnumMap<>(RetriableExpertException.Reason.class);
    private final Map<String, Counter> otherErrors = new ConcurrentHashMap<>();

    public ExpertMetrics(MeterRegistry registry, ExpertId expert) {
        this.registry = registry;
        this.expert = expert;
        String id = expert.value();
        firstToken = Timer.builder("coe.expert.first.token").description("Time from sending a streamed request to its first token")
                .tag("expert", id).publishPercentileHistogram().minimumExpectedValue(MIN_EXPECTED).maximumExpectedValue(MAX_EXPECTED)
                .register(registry);
        chatSuccess = latency(id, "chat", "success");
        chatError = latency(id, "chat", "error");
        streamSuccess = latency(id, "stream", "success");
        streamError = latency(id, "stream", "error");
        streamCancelled = latency(id, "stream", "cancelled");
        inputTokens = Counter.builder("coe.expert.tokens").tag("expert", id).tag("direction", "input")
                .description("Tokens sent to and received from the expert, as the expert reported them").register(registry);
        outputTokens = Counter.builder("coe.expert.tokens").tag("expert", id).tag("direction", "output").register(registry);
        for (RetriableExpertException.Reason reason : RetriableExpertException.Reason.values()) {
            String type = reason.name().toLowerCase(Locale.ROOT);
            errors.put(reason, Counter.builder("coe.expert.errors").tag("expert", id).tag("type", type)
                    .description("Failed calls by type, including the gateway's own refusals").register(registry));
            retries.put(reason, Counter.builder("coe.expert.retries").tag("expert", id).tag("type", type)
                    .description("Retries of a call on the same expert, by the failure that caused them").register(registry));
        }
    }

    private Timer latency(String id, String mode, String outcome) {
        return Timer.builder("coe.expert.latency").description("Whole calls to the expert, first byte sent to last byte received")
                .tag("expert", id).tag("mode", mode).tag("outcome", outcome)
                .publishPercentileHistogram().minimumExpectedValue(MIN_EXPECTED).maximumExpectedValue(MAX_EXPECTED)
                .register(registry);
    }

    void firstToken(long nanos) {
        firstToken.record(nanos, TimeUnit.NANOSECONDS);
    }

    void succeeded(boolean stream, long nanos, TokenUsage usage) {
        (stream ? streamSuccess : chatSuccess).record(nanos, TimeUnit.NANOSECONDS);
        if (usage != null) {
            if (usage.inputTokenCount() != null) inputTokens.increment(usage.inputTokenCount());
            if (usage.outputTokenCount() != null) outputTokens.increment(usage.outputTokenCount());
        }
    }

    /** A call that failed after it was sent (refusals before sending are only {@link #refused}). */
    void failed(boolean stream, long nanos, ExpertException e) {
        (stream ? streamError : chatError).record(nanos, TimeUnit.NANOSECONDS);
        countError(e);
    }

    void refused(ExpertException e) {
        countError(e);
    }

    void cancelled(long nanos) {
        streamCancelled.record(nanos, TimeUnit.NANOSECONDS);
    }

    void retried(ExpertException cause) {
        if (cause instanceof RetriableExpertException r) {
            retries.get(r.reason()).increment();
        }
    }

    private void countError(ExpertException e) {
        if (e instanceof RetriableExpertException r) {
            errors.get(r.reason()).increment();
        } else if (e instanceof NonRetriableExpertException n) {
            String type = n.upstreamStatus() == 0 ? "refused_unsent" : "http_" + n.upstreamStatus();
            otherErrors.computeIfAbsent(type, t -> Counter.builder("coe.expert.errors").tag("expert", expert.value())
                    .tag("type", t).register(registry)).increment();
        }
    }
}
