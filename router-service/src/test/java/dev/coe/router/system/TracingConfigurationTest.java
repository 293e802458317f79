package dev.coe.router.system;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TracingConfigurationTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void should_record_nothing_when_no_endpoint_is_set_not_even_for_a_sampled_client() {
        Sampler sampler = new TracingConfiguration().otelSampler(new MockEnvironment());

        assertThat(decide(sampler, Context.root())).isEqualTo(SamplingDecision.DROP);
        assertThat(decide(sampler, clientSpan(true))).isEqualTo(SamplingDecision.DROP);
    }

    @Test
    void should_follow_the_client_and_else_the_probability_when_spans_are_exported() {
        MockEnvironment exporting = new MockEnvironment().withProperty(TracingConfiguration.ENDPOINT, "http://collector:4318/v1/traces");
        Sampler everything = new TracingConfiguration().otelSampler(exporting);
        Sampler nothing = new TracingConfiguration().otelSampler(exporting.withProperty(TracingConfiguration.PROBABILITY, "0"));

        assertThat(decide(everything, Context.root())).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
        assertThat(decide(everything, clientSpan(false))).isEqualTo(SamplingDecision.DROP);
        assertThat(decide(nothing, Context.root())).isEqualTo(SamplingDecision.DROP);
        assertThat(decide(nothing, clientSpan(true))).isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
    }

    private static SamplingDecision decide(Sampler sampler, Context parent) {
        return sampler.shouldSample(parent, TRACE_ID, "http post /v1/chat/completions", SpanKind.SERVER, Attributes.empty(),
                List.of()).getDecision();
    }

    /** A client's span as a traceparent brings it, sampled or not. */
    private static Context clientSpan(boolean sampled) {
        return Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(TRACE_ID, "00f067aa0ba902b7",
                sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault())));
    }
}
