package dev.coe.router.chat;

import dev.coe.gateway.Expert;
import dev.coe.gateway.ExpertId;
import dev.coe.gateway.ExpertRegistry;
import dev.coe.gateway.cache.CacheStatus;
import dev.coe.router.dashboard.ExpertCall;
import dev.coe.router.routing.RoutingDecision;
import dev.langchain4j.model.output.TokenUsage;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The routing step and each expert call of a chat request as spans of its trace, children of the request's HTTP span
 * (which honours a client's W3C {@code traceparent}): a trace then shows how long classification took, which experts
 * were tried and why each failed, which one answered and what it cost. Attributes follow OpenTelemetry's GenAI
 * conventions ({@code gen_ai.*}) where they apply, and {@code coe.*} for the router's own.
 *
 * <p>The spans are written when the request ends, with the times its chain recorded, so nothing is added to the path
 * of a request while it runs, and a request that is not sampled costs one check. Stateless.
 */
final class RequestSpans {

    private static final Logger log = LoggerFactory.getLogger(RequestSpans.class);

    private final Tracer tracer;

    RequestSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** What a finished request did, with its times on the wall clock (spans) and on the monotonic one (durations). */
    record Finished(RoutingDecision decision, List<Attempt> attempts, List<ExpertCall> calls, ExpertId answeredBy,
                    CacheStatus cache, TokenUsage usage, Instant routedAt, long elapsedNanos) {
    }

    /** Adds the request's spans under the current span; on the request's own thread, before its HTTP span ends. */
    void record(Finished request, ExpertRegistry experts) {
        try {
            write(request, experts);
        } catch (RuntimeException e) {
            // A trace is worth less than the answer it describes, which is written already.
            log.debug("could not record the spans of a request: {}", e.toString());
        }
    }

    private void write(Finished request, ExpertRegistry experts) {
        Span parent = tracer.currentSpan();
        if (parent == null || !Boolean.TRUE.equals(parent.context().sampled())) {
            return;
        }
        RoutingDecision decision = request.decision();
        long routedAt = epochNanos(request.routedAt());
        parent.tag("coe.category", decision.category());
        if (request.answeredBy() != null) {
            parent.tag("coe.expert", request.answeredBy().value());
        }
        tracer.spanBuilder().setParent(parent.context()).name("coe.route")
                .startTimestamp(routedAt - decision.routeNanos(), TimeUnit.NANOSECONDS)
                .tag("coe.requested_model", decision.requestedModel())
                .tag("coe.category", decision.category())
                .tag("coe.confidence", decision.confidence())
                .tag("coe.route.reason", decision.reason().name().toLowerCase(Locale.ROOT))
                .tagOfStrings("coe.chain", decision.chain().stream().map(ExpertId::value).toList())
                .start().end(routedAt, TimeUnit.NANOSECONDS);
        // Attempts run one after another from the moment the request was routed, each ending where the next begins;
        // the one that answered lasts to the end of the request (for a stream, its last token).
        long start = routedAt;
        for (int i = 0; i < request.calls().size(); i++) {
            ExpertCall call = request.calls().get(i);
            if (ExpertCall.SKIPPED.equals(call.outcome())) {
                continue;  // never sent: the route span's chain and the x-coe-attempts header name it
            }
            boolean answered = call.expert().equals(request.answeredBy()) && ExpertCall.OK.equals(call.outcome());
            long end = answered ? routedAt + request.elapsedNanos() : start + call.nanos();
            Span span = attempt(parent, experts, call, start).start();
            if (answered) {
                span.tag("coe.cache", request.cache() == null ? "none" : request.cache().headerValue());
                if (request.usage() != null && request.usage().inputTokenCount() != null) {
                    span.tag("gen_ai.usage.input_tokens", request.usage().inputTokenCount().longValue());
                }
                if (request.usage() != null && request.usage().outputTokenCount() != null) {
                    span.tag("gen_ai.usage.output_tokens", request.usage().outputTokenCount().longValue());
                }
            } else if (!ExpertCall.OK.equals(call.outcome())) {
                span.tag("error.type", call.outcome());
                span.error(new AttemptFailed(i < request.attempts().size() ? request.attempts().get(i).detail() : call.outcome()));
            }
            span.end(end, TimeUnit.NANOSECONDS);
            start += call.nanos();
        }
    }

    private Span.Builder attempt(Span parent, ExpertRegistry experts, ExpertCall call, long start) {
        Span.Builder span = tracer.spanBuilder().setParent(parent.context()).kind(Span.Kind.CLIENT)
                .startTimestamp(start, TimeUnit.NANOSECONDS)
                .tag("gen_ai.operation.name", "chat")
                .tag("coe.expert", call.expert().value())
                .tag("coe.attempt.outcome", call.outcome());
        Expert expert = experts.contains(call.expert()) ? experts.expert(call.expert()) : null;
        if (expert == null) {
            return span.name("chat " + call.expert().value());
        }
        span.name("chat " + expert.config().model())
                .tag("gen_ai.provider.name", expert.config().provider().configName())
                .tag("gen_ai.request.model", expert.config().model());
        URI base = expert.config().baseUrl();
        if (base != null && base.getHost() != null) {
            span.tag("server.address", base.getHost());
            if (base.getPort() > 0) {
                span.tag("server.port", (long) base.getPort());
            }
        }
        return span;
    }

    private static long epochNanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    /** Why an attempt failed, recorded on its span; the reason is all there is, so no stack trace is taken. */
    static final class AttemptFailed extends RuntimeException {
        AttemptFailed(String reason) {
            super(reason, null, false, false);
        }
    }
}
